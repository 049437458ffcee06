/** A command run in the sandbox: argv and exactly the environment it gets. */
export interface LanguageCommand {
  command: string[];
  env?: Record<string, string>;
}

/**
 * A program the worker judges in the language's sandbox before it takes jobs: it echoes `input`
 * back, and must be accepted (compared byte for byte with `expectedOutput`).
 */
export interface LanguageSelfTestProgram {
  source: string;
  input: string;
  expectedOutput: string;
}

/**
 * A checker or interactor is compiled once (per worker) and its one artifact kept; a self-contained
 * artifact (a static binary) runs in any sandbox, which an interactor must: it runs beside the
 * submission, in the submission's sandbox.
 */
export interface ProblemProgramProfile {
  compile?: LanguageCommand;
  artifact: string;
  run: LanguageCommand;
  selfContained: boolean;
}

/** One entry of the language catalog (schema: language.schema.json). */
export interface LanguageDefinition {
  id: string;
  name: string;
  /** What the catalog says; a worker reads the real one from the image with `versionCommand`. */
  version: string;
  image: string;
  /** OCI runtime for this language's sandboxes (e.g. runsc for gVisor); absent: SANDBOX_RUNTIME. */
  runtime?: string;
  sourceFile: string;
  /** Absent for languages with nothing to compile or check before running. */
  compile?: LanguageCommand;
  run: LanguageCommand;
  limits?: { cpuTimeFactor?: number; extraMemoryMb?: number };
  /** stderr text of a runtime out of memory (a heap capped at the limit): such a failure is MLE. */
  memoryErrorMarkers?: string[];
  /** How a problem's own program (checker, interactor) in this language is built and run. */
  problemProgram?: ProblemProgramProfile;
  /** argv whose first non-empty line of output (stdout, else stderr) is the toolchain's version. */
  versionCommand: string[];
  selfTest: LanguageSelfTestProgram;
}
