import { LanguageCommand } from './language-definition';

/** A file the judge writes into the sandbox before compiling. */
export interface ProgramFile {
  path: string;
  content: string;
}

/**
 * What is compiled and run for a submission: its files and the commands. For a stdin/stdout
 * program, the source as the language's entry says; for a function problem, the user's code beside
 * a generated driver (@verdict/function-problems).
 */
export interface ProgramLayout {
  files: ProgramFile[];
  compile?: LanguageCommand;
  run: LanguageCommand;
}
