import builtIn from './function-languages.json';
import languageCatalog from '../../languages/src/languages.json';
import { FUNCTION_LANGUAGE_TABLE, FunctionLanguageCatalogError, loadFunctionLanguages } from './function-language-catalog';

type Entry = Record<string, unknown>;
/** The built-in table with `change` applied to its python entry. */
const withPython = (change: (entry: Entry) => void): Entry[] => {
  const table = structuredClone(builtIn) as Entry[];
  change(table.find((entry) => entry.language === 'python')!);
  return table;
};

describe('function language table', () => {
  it('loads the built-in table: every language maps to a registered driver', () => {
    expect([...FUNCTION_LANGUAGE_TABLE.values()].map((l) => `${l.language}:${l.driver}`)).toEqual([
      'python:python',
      'cpp:cpp',
      'go:go',
      'java:java',
      'javascript:javascript',
    ]);
  });

  it('lets another language id reuse a driver with its own commands', () => {
    const table = structuredClone(builtIn) as Entry[];
    table.push({ ...table.find((e) => e.language === 'cpp')!, language: 'cpp20', compile: { command: ['g++', '-std=gnu++20', '-o', 'main', 'driver.cpp'] } });
    expect(loadFunctionLanguages(table).get('cpp20')?.driver).toBe('cpp');
  });

  it.each([
    ['a schema violation, by path', withPython((e) => delete e.run), /\/0 must have required property 'run'/],
    ['an unknown driver', withPython((e) => (e.driver = 'cobol')), /python: unknown driver "cobol" \(known: python, cpp, go, java, javascript\)/],
    ['a file role missing', withPython((e) => (e.files = { solution: 'solution.py' })), /python: files must name exactly the roles of driver python \(driver, prelude, solution\), got solution/],
    ['two roles on one path', withPython((e) => (e.files = { prelude: 'verdict_driver.py', solution: 'main.py', driver: 'main.py' })), /python: two file roles share a path/],
    ['an unknown placeholder', withPython((e) => (e.run = { command: ['python3', '-X{heap}', 'driver.py'] })), /python: run command uses unknown placeholder \{heap\} \(known: \{memoryMb\}\)/],
    ['a pattern that is no regular expression', withPython((e) => (e.reservedPatterns = [{ pattern: '(', reason: 'x' }])), /python: reserved pattern "\(" is not a regular expression/],
  ])('refuses %s, saying what is wrong', (_what, table, message) => {
    expect(() => loadFunctionLanguages(table)).toThrow(FunctionLanguageCatalogError);
    expect(() => loadFunctionLanguages(table)).toThrow(message);
  });

  it('refuses a language listed twice', () => {
    const table = structuredClone(builtIn) as Entry[];
    table.push(structuredClone(table[0]));
    expect(() => loadFunctionLanguages(table)).toThrow(/duplicate language "python"/);
  });
});

/**
 * A function problem is judged with the same compiler, runtime and flags as a plain submission of
 * its language: each entry's commands are the language catalog's, but for the files they name.
 */
describe('function language table against the language catalog', () => {
  const catalog = languageCatalog as unknown as { id: string; sourceFile: string; compile?: { command: string[]; env?: Record<string, string> }; run: { command: string[]; env?: Record<string, string> } }[];
  const table = builtIn as unknown as { language: string; files: Record<string, string>; compile?: { command: string[]; env?: Record<string, string> }; run: { command: string[]; env?: Record<string, string> } }[];
  /** A command less its file names (and Java's class names, the file's stem). */
  const flags = (command: string[], files: string[]) => {
    const names = new Set(files.flatMap((file) => [file, file.replace(/\.java$/, '')]));
    return command.filter((arg) => !names.has(arg));
  };

  it.each(table.map((entry) => [entry.language, entry] as const))('%s', (id, entry) => {
    const language = catalog.find((l) => l.id === id)!;
    expect(language).toBeDefined();
    const files = [language.sourceFile, ...Object.values(entry.files)];
    expect(flags(entry.run.command, files)).toEqual(flags(language.run.command, files));
    expect(entry.run.env ?? {}).toMatchObject(language.run.env ?? {});
    if (language.compile) {
      expect(flags(entry.compile!.command, files)).toEqual(flags(language.compile.command, files));
      expect(entry.compile!.env ?? {}).toMatchObject(language.compile.env ?? {});
    }
  });
});
