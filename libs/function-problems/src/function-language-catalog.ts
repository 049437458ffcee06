import { COMMAND_PLACEHOLDERS, LanguageCommand, unknownPlaceholders } from '@verdict/languages';
import Ajv from 'ajv';
import { DriverGenerator } from './driver-generator';
import { DRIVER_GENERATORS } from './drivers';
import builtInLanguages from './function-languages.json';
import schema from './function-languages.schema.json';

/** A name pattern a language refuses, and why (said to whoever wrote the signature). */
export interface ReservedPattern {
  pattern: string;
  reason: string;
}

/** One entry of function-languages.json (schema: function-languages.schema.json). */
export interface FunctionLanguage {
  /** The language id, as in the language catalog and a submission's `language`. */
  language: string;
  /** Which driver generator builds the program (a key of DRIVER_GENERATORS). */
  driver: string;
  /** The path of each file role the driver writes. */
  files: Record<string, string>;
  compile?: LanguageCommand;
  run: LanguageCommand;
  reservedWords: string[];
  reservedPatterns?: ReservedPattern[];
}

export class FunctionLanguageCatalogError extends Error {}

const validateEntries = new Ajv({ allErrors: true, strict: true }).compile<FunctionLanguage[]>(schema);

/**
 * Checks a function-language table: the schema, then what a schema cannot say (ids unique, the
 * driver registered, its file roles exactly named, placeholders known, patterns valid).
 */
export function loadFunctionLanguages(
  definitions: unknown,
  generators: Readonly<Record<string, DriverGenerator>> = DRIVER_GENERATORS,
  source = 'built-in function-languages.json',
): ReadonlyMap<string, FunctionLanguage> {
  const invalid = (problem: string) => new FunctionLanguageCatalogError(`Invalid function language table (${source}): ${problem}`);
  if (!validateEntries(definitions)) {
    const problems = (validateEntries.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw invalid(`\n  - ${problems.join('\n  - ')}`);
  }
  const byId = new Map<string, FunctionLanguage>();
  for (const entry of definitions) {
    const id = entry.language;
    if (byId.has(id)) throw invalid(`duplicate language "${id}"`);
    const generator = generators[entry.driver];
    if (!generator) throw invalid(`${id}: unknown driver "${entry.driver}" (known: ${Object.keys(generators).join(', ')})`);
    const roles = Object.keys(entry.files).sort();
    const expected = [...generator.fileRoles].sort();
    if (roles.join() !== expected.join()) throw invalid(`${id}: files must name exactly the roles of driver ${entry.driver} (${expected.join(', ')}), got ${roles.join(', ')}`);
    const paths = Object.values(entry.files);
    if (new Set(paths).size !== paths.length) throw invalid(`${id}: two file roles share a path`);
    for (const [role, command] of [['compile', entry.compile], ['run', entry.run]] as const) {
      const unknown = command ? unknownPlaceholders(command) : [];
      if (unknown.length > 0) {
        throw invalid(`${id}: ${role} command uses unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')} (known: ${COMMAND_PLACEHOLDERS.map((n) => `{${n}}`).join(', ')})`);
      }
    }
    for (const { pattern } of entry.reservedPatterns ?? []) {
      try {
        new RegExp(pattern);
      } catch (error) {
        throw invalid(`${id}: reserved pattern ${JSON.stringify(pattern)} is not a regular expression: ${(error as Error).message}`);
      }
    }
    byId.set(id, Object.freeze(entry));
  }
  return byId;
}

/** The built-in table, checked when this module loads: a bad entry stops the process at start-up. */
export const FUNCTION_LANGUAGE_TABLE: ReadonlyMap<string, FunctionLanguage> = loadFunctionLanguages(structuredClone(builtInLanguages));

/** The language ids that support function problems. */
export const FUNCTION_LANGUAGES: readonly string[] = Object.freeze([...FUNCTION_LANGUAGE_TABLE.keys()]);
