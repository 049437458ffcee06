/** A command run in the sandbox: argv and exactly the environment it gets. */
export interface LanguageCommand {
  command: string[];
  env?: Record<string, string>;
}

/** One entry of the language catalog (schema: language.schema.json). */
export interface LanguageDefinition {
  id: string;
  name: string;
  version: string;
  image: string;
  /** OCI runtime for this language's sandboxes (e.g. runsc for gVisor); absent: SANDBOX_RUNTIME. */
  runtime?: string;
  sourceFile: string;
  /** Absent for languages with nothing to compile or check before running. */
  compile?: LanguageCommand;
  run: LanguageCommand;
  limits?: { cpuTimeFactor?: number; extraMemoryMb?: number };
}
