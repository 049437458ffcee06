import { JudgeJobPayload } from '@verdict/contracts';
import { LanguageDefinition, ProgramLayout } from '@verdict/languages';

/** A stdin/stdout program (and the contestant's side of an interactive problem): the source as it is. */
export function stdioProgram(job: Pick<JudgeJobPayload, 'source'>, language: LanguageDefinition): ProgramLayout {
  return { files: [{ path: language.sourceFile, content: job.source }], compile: language.compile, run: language.run };
}
