import { JudgeJobPayload } from '@verdict/contracts';
import { LanguageCommand, LanguageDefinition } from '@verdict/languages';

/** A file the judge writes into the sandbox before compiling. */
export interface ProgramFile {
  path: string;
  content: string;
}

/** What is compiled and run for a submission: its files and the commands, per the job's kind. */
export interface ProgramLayout {
  files: ProgramFile[];
  compile?: LanguageCommand;
  run: LanguageCommand;
}

/** A stdin/stdout program (and the contestant's side of an interactive problem): the source as it is. */
export function stdioProgram(job: Pick<JudgeJobPayload, 'source'>, language: LanguageDefinition): ProgramLayout {
  return { files: [{ path: language.sourceFile, content: job.source }], compile: language.compile, run: language.run };
}
