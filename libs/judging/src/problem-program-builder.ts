import { Injectable } from '@nestjs/common';
import { JudgingConfig } from '@verdict/config';
import { ProgramRef, isStoredData } from '@verdict/contracts';
import { LanguageCatalog, LanguageCommand, LanguageDefinition } from '@verdict/languages';
import { SandboxPool } from '@verdict/sandbox';
import { createHash } from 'node:crypto';
import { ProgramRunner } from './program-runner';
import { SandboxSpecs } from './sandbox-specs';
import { TestDataSource } from './test-data-source';
import { UnjudgeableSubmissionError } from './unjudgeable-submission.error';

/** A problem's checker or interactor, built: the one file it consists of and how to run it. */
export interface BuiltProgram {
  language: LanguageDefinition;
  artifact: Buffer;
  /** The name the run command gives the artifact (`main`, `main.py`). */
  artifactName: string;
  run: LanguageCommand;
  selfContained: boolean;
}

export type ProblemProgramRole = 'checker' | 'interactor';

/** The largest artifact taken out of a build (a static C++ binary is ~2 MB). */
const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

/**
 * Builds the problems' own programs (checkers, interactors) once per worker: compiled in a sandbox
 * of their language, the artifact taken out and kept (LRU, PROBLEM_PROGRAM_CACHE_SIZE), so every
 * later submission of the problem only copies it in. Concurrent requests for one program share one
 * build; a failed build is not kept, so it is tried again next time.
 */
@Injectable()
export class ProblemProgramBuilder {
  private readonly built = new Map<string, Promise<BuiltProgram>>();

  constructor(
    private readonly languages: LanguageCatalog,
    private readonly sandboxes: SandboxPool,
    private readonly specs: SandboxSpecs,
    private readonly testData: TestDataSource,
    private readonly runner: ProgramRunner,
    private readonly config: JudgingConfig,
  ) {}

  build(ref: ProgramRef, role: ProblemProgramRole): Promise<BuiltProgram> {
    const language = this.languages.get(ref.language);
    if (!language) throw new UnjudgeableSubmissionError(`the problem's ${role} is in language "${ref.language}", which is not in this worker's catalog`);
    const profile = language.problemProgram;
    if (!profile) throw new UnjudgeableSubmissionError(`the problem's ${role} is in ${language.name}, which cannot build problem programs`);
    if (role === 'interactor' && !profile.selfContained) {
      throw new UnjudgeableSubmissionError(`the problem's interactor is in ${language.name}, whose programs need its own image; an interactor runs in the submission's sandbox`);
    }
    const source = isStoredData(ref.source) ? ref.source.sha256 : createHash('sha256').update(ref.source.text).digest('hex');
    const key = `${language.id}|${language.image}|${source}`;
    let build = this.built.get(key);
    if (build) {
      this.built.delete(key); // re-inserted: most recently used last
    } else {
      build = this.compile(ref, language, role);
      build.catch(() => this.built.delete(key));
    }
    this.built.set(key, build);
    while (this.built.size > this.config.PROBLEM_PROGRAM_CACHE_SIZE) this.built.delete(this.built.keys().next().value!);
    return build;
  }

  private async compile(ref: ProgramRef, language: LanguageDefinition, role: ProblemProgramRole): Promise<BuiltProgram> {
    const profile = language.problemProgram!;
    const source = await this.testData.read(ref.source);
    const session = await this.sandboxes.acquire(this.specs.forChecker(language));
    try {
      const files = [{ path: language.sourceFile, content: source }];
      if (!profile.compile) await session.writeFile(language.sourceFile, source);
      else {
        const { output, failure } = await this.runner.compile(session, files, profile.compile, 'problem-program');
        if (failure) throw new UnjudgeableSubmissionError(`the problem's ${role} does not build: ${failure}\n${output.slice(0, 2000)}`);
      }
      const artifact = await session.readFile(profile.artifact, MAX_ARTIFACT_BYTES);
      if ('missing' in artifact) throw new UnjudgeableSubmissionError(`the problem's ${role} built, but its artifact ${profile.artifact} cannot be taken out: ${artifact.missing}`);
      return { language, artifact: artifact.data, artifactName: profile.artifact, run: profile.run, selfContained: profile.selfContained };
    } finally {
      this.sandboxes.release(session);
    }
  }
}

/** The run command of a built program, with its artifact where `path` puts it. */
export function commandForArtifact(program: BuiltProgram, path: string): string[] {
  return program.run.command.map((arg) => (arg === program.artifactName || arg === `./${program.artifactName}` ? path : arg));
}
