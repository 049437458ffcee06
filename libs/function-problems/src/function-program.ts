import { FunctionSignature } from '@verdict/contracts';
import { LanguageCommand, ProgramLayout } from '@verdict/languages';
import { DriverGenerator } from './driver-generator';
import { DRIVER_GENERATORS } from './drivers';
import { FUNCTION_LANGUAGES, FUNCTION_LANGUAGE_TABLE, FunctionLanguage } from './function-language-catalog';
import { validateSignature } from './signature-validation';
import { ParsedSignature, parseSignatureTypes } from './value-type';

/** A submission's language has no function driver: the API should have refused it (see FUNCTION_LANGUAGES). */
export class UnsupportedFunctionLanguageError extends Error {}

/** The problem's signature is invalid: a fault of the problem, not of the submission. */
export class InvalidFunctionSignatureError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid function signature: ${problems.join('; ')}`);
  }
}

/** The layout functionProgram returns: the judge writes these files and runs these commands. */
export type FunctionProgramLayout = ProgramLayout;

function languageFor(languageId: string): { language: FunctionLanguage; generator: DriverGenerator } {
  const language = FUNCTION_LANGUAGE_TABLE.get(languageId);
  if (!language) {
    throw new UnsupportedFunctionLanguageError(`function problems cannot be solved in "${languageId}" (supported: ${FUNCTION_LANGUAGES.join(', ')})`);
  }
  return { language, generator: DRIVER_GENERATORS[language.driver] };
}

function parsedSignature(signature: FunctionSignature): ParsedSignature {
  const problems = validateSignature(signature);
  if (problems.length > 0) throw new InvalidFunctionSignatureError(problems);
  return parseSignatureTypes(signature);
}

const copyCommand = (command: LanguageCommand): LanguageCommand => ({ command: [...command.command], ...(command.env ? { env: { ...command.env } } : {}) });

/**
 * The program for a function problem: the user's source (in a file of its own, or first in its
 * file, so compiler messages keep its line numbers) and a generated driver that reads the argument
 * list as JSON from stdin, calls the function and prints the result as JSON on stdout (what the
 * user's code prints goes to stderr). Each test's input is its JSON argument list; compare stdout
 * with the `json` checker. A wrong return type is a compile error (static languages) or a run
 * ending with exit code 1 and `verdict-driver: …` on stderr (dynamic ones).
 *
 * Throws UnsupportedFunctionLanguageError or InvalidFunctionSignatureError.
 */
export function functionProgram(languageId: string, signature: FunctionSignature, userSource: string): FunctionProgramLayout {
  const { language, generator } = languageFor(languageId);
  const contents = generator.files(parsedSignature(signature), userSource, language.files);
  return {
    files: Object.entries(language.files).map(([role, path]) => ({ path, content: contents[role] })),
    ...(language.compile ? { compile: copyCommand(language.compile) } : {}),
    run: copyCommand(language.run),
  };
}

/** Code a user starts from: the function (or Solution method) with the problem's signature and an empty body. */
export function starterCode(languageId: string, signature: FunctionSignature): string {
  const { generator } = languageFor(languageId);
  return generator.starterCode(parsedSignature(signature));
}
