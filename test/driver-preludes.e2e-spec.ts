import { FUNCTION_LANGUAGES, driverDiagnostic, functionProgram } from '@verdict/function-problems';
import { LanguageCatalog, LanguageCommand, expandCommand } from '@verdict/languages';
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

/**
 * The driver preludes of function problems (libs/function-problems/drivers/: the fixed part of every
 * generated driver) on their own, outside the TypeScript that ships them: for each language, the
 * prelude and its self-test harness (drivers/selftest*) are compiled with the compiler and flags of
 * the language's function-problem entry (function-languages.json, itself held to the language
 * catalog's) in a throwaway container of the language's runtime image (the toolchain the judge
 * uses), then run as a generated driver runs. The harness is a driver for selfTest(value: TYPE) ->
 * TYPE that does what its mode says: echo the argument (printing noise that must not reach the
 * result), or return what the driver must refuse (a list with a cycle, a tree reaching a node
 * twice, NaN, an infinity; in Python and JavaScript also a value of the wrong type, an exception,
 * a function that does not exist). Every value type, JSON's corners (longs to the last bit, doubles
 * in their shortest round-trip form, escapes and non-ASCII text, nested arrays, null in trees) and
 * the driver's diagnostics are checked against what every driver must print.
 */

type Language = 'python' | 'cpp' | 'go' | 'java' | 'javascript';
const LANGUAGES: Language[] = ['python', 'cpp', 'go', 'java', 'javascript'];
const DRIVERS = join(__dirname, '..', 'libs', 'function-problems', 'drivers');

interface SelfTest {
  /** The prelude first, then the harness's files, in drivers/. */
  files: string[];
  /**
   * The file that stands in for each file the language's commands name (its driver, its solution);
   * a list: the command runs once for each (an interpreter's syntax check of one file).
   */
  substitutions: Record<string, string | string[]>;
}

const SELF_TESTS: Record<Language, SelfTest> = {
  python: {
    files: ['verdict_driver.py', 'selftest.py', 'selftest_solution.py'],
    substitutions: { 'solution.py': ['verdict_driver.py', 'selftest.py', 'selftest_solution.py'], 'driver.py': 'selftest.py' },
  },
  javascript: {
    files: ['verdict_driver.js', 'selftest.js', 'selftest_solution.js'],
    substitutions: { 'solution.js': ['verdict_driver.js', 'selftest.js', 'selftest_solution.js'], 'driver.js': 'selftest.js' },
  },
  cpp: { files: ['verdict_driver.hpp', 'selftest.cpp'], substitutions: { 'driver.cpp': 'selftest.cpp' } },
  go: { files: ['verdict_driver.go', 'selftest.go'], substitutions: { 'driver.go': 'verdict_driver.go', 'solution.go': 'selftest.go' } },
  java: { files: ['VerdictDriver.java', 'SelfTest.java'], substitutions: { 'Main.java': 'VerdictDriver.java', 'Solution.java': 'SelfTest.java' } },
};

const MEMORY_MB = 256;
const STEP_TIMEOUT_S = 120;
const CONTAINER_TIMEOUT_MS = 240_000;

/** What a run must end with. */
type Expectation =
  /** Exit 0 and exactly this on stdout (one line). */
  | { result: string }
  /** Exit 0 and this JSON value on stdout, however spelled (doubles, escapes differ between languages). */
  | { value: string }
  /** Exit 1, nothing on stdout, and this message of the driver's, as the judge extracts it. */
  | { diagnostic: string | RegExp }
  /** Ended by the error, as the user's code raised it: not 0, nothing on stdout, no diagnostic. */
  | { crash: RegExp };

interface Case {
  name: string;
  mode: string;
  type: string;
  /** The test input: the argument list, as JSON text. */
  input: string;
  expect: Expectation;
  /** Only these languages (the rest cannot express it). */
  languages?: Language[];
}

const DYNAMIC: Language[] = ['python', 'javascript'];
const NOT_JAVASCRIPT: Language[] = ['python', 'cpp', 'go', 'java'];
const echo = (name: string, type: string, input: string, expect: Expectation, languages?: Language[]): Case => ({ name, mode: 'echo', type, input, expect, languages });
const refused = (name: string, type: string, input: string, diagnostic: string | RegExp, languages?: Language[]): Case => echo(name, type, input, { diagnostic }, languages);

const CASES: Case[] = [
  echo('an int', 'int', '[42]', { result: '42' }),
  echo('ints at both ends of 32 bits', 'int[]', '[[-2147483648, 2147483647, 0]]', { result: '[-2147483648,2147483647,0]' }),
  echo('an empty array', 'int[]', '[[]]', { result: '[]' }),
  echo('whitespace anywhere in the input', 'int[]', ' \n[ [ 1 ,\t2 ] ]\r\n', { result: '[1,2]' }),
  echo('nested int arrays', 'int[][]', '[[[1,2],[],[3]]]', { result: '[[1,2],[],[3]]' }),
  echo('a long beyond 32 bits', 'long', '[9007199254740991]', { result: '9007199254740991' }),
  // JavaScript's numbers are doubles: its driver cannot hold every long (see the README).
  echo('longs at both ends of 64 bits, to the last bit', 'long[]', '[[-9223372036854775808, 9223372036854775807]]', { result: '[-9223372036854775808,9223372036854775807]' }, NOT_JAVASCRIPT),
  echo('whole numbers written with a fraction or an exponent', 'long[]', '[[3.0, 1e3, -2E2]]', { result: '[3,1000,-200]' }),
  echo('nested long arrays', 'long[][]', '[[[1],[],[-5,6]]]', { result: '[[1],[],[-5,6]]' }),
  echo('a double', 'double', '[0.1]', { value: '0.1' }),
  echo(
    'doubles in their shortest round-trip form (the same double back)',
    'double[]',
    '[[0.30000000000000004, 1e21, -2.5, 5e-324, 3, 1.7976931348623157e308, 123456789.123456789]]',
    { value: '[0.30000000000000004, 1e21, -2.5, 5e-324, 3, 1.7976931348623157e308, 123456789.12345679]' },
  ),
  echo('nested double arrays', 'double[][]', '[[[1.5],[]]]', { value: '[[1.5],[]]' }),
  echo('a bool', 'bool', '[true]', { result: 'true' }),
  echo('bool arrays', 'bool[]', '[[true,false]]', { result: '[true,false]' }),
  echo('nested bool arrays', 'bool[][]', '[[[false],[]]]', { result: '[[false],[]]' }),
  echo('a plain string', 'string', '["plain"]', { result: '"plain"' }),
  echo(
    'a string with every escape, non-ASCII text and a surrogate pair',
    'string',
    String.raw`["q\"b\\s\/n\nt\tr\rb\bf\fu\u0001 é€😀 \u00e9\ud83d\ude00 <&>"]`,
    { value: String.raw`"q\"b\\s/n\nt\tr\rb\bf\fu\u0001 é€😀 é😀 <&>"` },
  ),
  echo('string arrays', 'string[]', '[["a", "", "b c"]]', { result: '["a","","b c"]' }),
  echo('nested string arrays', 'string[][]', '[[["x"],[]]]', { result: '[["x"],[]]' }),
  echo('a linked list', 'ListNode', '[[1,2,3]]', { result: '[1,2,3]' }),
  echo('an empty linked list', 'ListNode', '[[]]', { result: '[]' }),
  echo('linked lists', 'ListNode[]', '[[[1,4],[],[2]]]', { result: '[[1,4],[],[2]]' }),
  echo('a tree in level order with nulls', 'TreeNode', '[[3,9,20,null,null,15,7]]', { result: '[3,9,20,null,null,15,7]' }),
  echo('a tree with a gap', 'TreeNode', '[[1,null,2,3]]', { result: '[1,null,2,3]' }),
  echo('a tree printed without trailing nulls', 'TreeNode', '[[1,2,null,null,null]]', { result: '[1,2]' }),
  echo('an empty tree', 'TreeNode', '[[]]', { result: '[]' }),
  echo('trees', 'TreeNode[]', '[[[1,null,2],[]]]', { result: '[[1,null,2],[]]' }),

  refused('an input that is no JSON', 'int', '[1,', /^the test input (is not valid JSON|must be a JSON array of 1 argument\(s\) \(value\))/),
  refused('too many arguments', 'int', '[1, 2]', /^the test input must be a JSON array of 1 argument\(s\) \(value\)/),
  refused('text after the argument list', 'int', '[1] x', /^the test input (has text after the argument list|is not valid JSON)/),
  refused('an element of the wrong type, with its path', 'int[]', '[[1,"x"]]', /^argument value\[1\][ :].*\bint\b/),
  refused('an int out of range', 'int', '[2147483648]', /^argument value\b.*2147483648.*out of range for int$/),
  refused('a long out of range', 'long', '[9223372036854775808]', /^argument value\b.*9223372036854775808.*out of range for long$/, NOT_JAVASCRIPT),
  refused('a fraction for an int', 'int', '[1.5]', /^argument value\b.*\bint\b/),
  refused('a string for a bool', 'bool', '["true"]', /^argument value\b.*\bbool\b/),
  refused('a number for a string', 'string', '[5]', /^argument value\b.*\bstring\b/),
  refused('a number for a linked list', 'ListNode', '[5]', /^argument value\b.*\bexpected\b/),
  refused('a tree whose root is null', 'TreeNode', '[[null,1]]', 'argument value[0] is null: the root of a tree cannot be (an empty tree is [])'),
  refused('a tree node without a parent', 'TreeNode', '[[1,null,null,2]]', 'argument value[3] has no parent: every node before it is null'),
  refused('a null root deep in an argument', 'TreeNode[]', '[[[1],[null]]]', 'argument value[1][0] is null: the root of a tree cannot be (an empty tree is [])'),

  { name: 'a returned list with a cycle', mode: 'list-cycle', type: 'ListNode', input: '[[1,2,3]]', expect: { diagnostic: 'selfTest returned a linked list with a cycle (node 3 is an earlier node again)' } },
  { name: 'a returned tree reaching a node twice', mode: 'shared-tree', type: 'TreeNode', input: '[[1]]', expect: { diagnostic: 'selfTest returned a tree in which a node is reached twice (a cycle or a shared subtree)' } },
  { name: 'a returned NaN', mode: 'nan', type: 'double', input: '[0]', expect: { diagnostic: /^selfTest returned (nan|NaN), which JSON cannot represent$/ } },
  { name: 'a returned infinity, with its path', mode: 'infinity', type: 'double[]', input: '[[1,2]]', expect: { diagnostic: /^selfTest returned (inf|an infinite double|\+Inf|Infinity) at \[1\], which JSON cannot represent$/ } },
  { name: 'a returned value of the wrong type, with its path', mode: 'wrong-type', type: 'int[]', input: '[[1]]', expect: { diagnostic: 'selfTest returned a string at [1], expected int (the return type is int[])' }, languages: DYNAMIC },
  { name: 'a function that is not there', mode: 'missing', type: 'int', input: '[1]', expect: { diagnostic: /^selftest_solution\.(py|js) defines no (class Solution with a method absent \(nor a function absent\)|function absent \(nor a class Solution with a method absent\))$/ }, languages: DYNAMIC },
  { name: "an exception in the user's code, shown at the user's line", mode: 'raise', type: 'int', input: '[1]', expect: { crash: /raised on purpose/ }, languages: DYNAMIC },
];

const casesOf = (language: Language) => CASES.filter((c) => !c.languages || c.languages.includes(language));

interface Step {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The language's compile and run commands (as the judge runs a driver), on the self-test's files. */
function commandsOf(language: Language): { compile: LanguageCommand[]; run: LanguageCommand } {
  const program = functionProgram(language, { functionName: 'selfTest', parameters: [{ name: 'value', type: 'int' }], returnType: 'int' }, '');
  const { substitutions } = SELF_TESTS[language];
  const named = new Set(program.files.map((file) => file.path));
  const substituted = (command: LanguageCommand): LanguageCommand[] => {
    const expanded = expandCommand(command, { memoryMb: MEMORY_MB });
    for (const arg of expanded.command) if (named.has(arg) && !(arg in substitutions)) throw new Error(`${language}: nothing of the self-test stands in for ${arg}`);
    const many = expanded.command.find((arg) => Array.isArray(substitutions[arg]));
    const variants = many ? (substitutions[many] as string[]) : [null];
    return variants.map((variant) => ({
      ...expanded,
      command: expanded.command.map((arg) => (arg === many ? variant! : ((substitutions[arg] as string | undefined) ?? arg))),
    }));
  };
  const run = substituted(program.run);
  if (run.length !== 1) throw new Error(`${language}: the run command must name one file`);
  return { compile: program.compile ? substituted(program.compile) : [], run: run[0] };
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
const shell = ({ command, env }: LanguageCommand, args: string[] = []) =>
  ['env', ...Object.entries(env ?? {}).map(([name, value]) => `${name}=${value}`), ...command, ...args].map(quote).join(' ');

/**
 * The container's script: each step runs with a time limit, then reports its exit code and the
 * lengths of its stdout and stderr, followed by both (length-prefixed, so any bytes pass).
 */
function script(language: Language): string {
  const { compile, run } = commandsOf(language);
  return [
    'step() {',
    '  name=$1; input=$2; shift 2',
    `  timeout ${STEP_TIMEOUT_S} "$@" < "$input" > step.out 2> step.err`,
    '  code=$?',
    `  printf 'verdict-step %s %d %d %d\\n' "$name" "$code" "$(wc -c < step.out)" "$(wc -c < step.err)"`,
    '  cat step.out step.err',
    '}',
    ...compile.map((command, i) => `step compile-${i} /dev/null ${shell(command)}`),
    ...casesOf(language).map((c, i) => `step case-${i} case-${i}.json ${shell(run, [c.mode, c.type])}`),
    '',
  ].join('\n');
}

function parseSteps(output: Buffer): Map<string, Step> {
  const steps = new Map<string, Step>();
  let at = 0;
  while (at < output.length) {
    const end = output.indexOf('\n', at);
    const header = /^verdict-step (\S+) (\d+) (\d+) (\d+)$/.exec(output.subarray(at, end < 0 ? output.length : end).toString('utf8'));
    if (!header) throw new Error(`unexpected output of the self-test script at byte ${at}: ${output.subarray(at, at + 300).toString('utf8')}`);
    const [, name, exitCode, stdoutBytes, stderrBytes] = header;
    const stdoutEnd = end + 1 + Number(stdoutBytes);
    const stderrEnd = stdoutEnd + Number(stderrBytes);
    steps.set(name, { exitCode: Number(exitCode), stdout: output.subarray(end + 1, stdoutEnd).toString('utf8'), stderr: output.subarray(stdoutEnd, stderrEnd).toString('utf8') });
    at = stderrEnd;
  }
  return steps;
}

/** A tar archive (ustar) of regular files owned by the image's judge user, for putArchive. */
function tarOf(files: Record<string, string>): Buffer {
  const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write(octal(0o644, 8), 100);
    header.write(octal(10001, 8), 108);
    header.write(octal(10001, 8), 116);
    header.write(octal(data.length, 12), 124);
    header.write(octal(Math.floor(Date.now() / 1000), 12), 136);
    header.write(' '.repeat(8), 148);
    header.write('0', 156);
    header.write('ustar\u000000', 257);
    header.write(octal(header.reduce((sum, byte) => sum + byte, 0), 7) + ' ', 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

describe('driver preludes, compiled and run on their own in the runtime images', () => {
  const docker = new Docker();
  const catalog = LanguageCatalog.load();
  const run = randomBytes(4).toString('hex');
  const created = new Set<string>();

  afterAll(async () => {
    // Each container is removed as its self-test ends; this catches one whose test was cut short.
    await Promise.all([...created].map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
  });

  /** Runs the language's self-test script in a throwaway container of its runtime image; its steps by name. */
  async function selfTest(language: Language): Promise<Map<string, Step>> {
    const image = catalog.get(language)?.image;
    if (!image) throw new Error(`language ${language} is not in the language catalog`);
    const files: Record<string, string> = { 'selftest.sh': script(language) };
    for (const file of SELF_TESTS[language].files) files[file] = readFileSync(join(DRIVERS, file), 'utf8');
    casesOf(language).forEach((c, i) => (files[`case-${i}.json`] = c.input));

    const container = await docker.createContainer({
      Image: image,
      // The images' entrypoint is the judge's harness; here the self-test is the whole program.
      Entrypoint: ['/bin/sh'],
      Cmd: ['selftest.sh'],
      WorkingDir: '/work',
      Labels: { 'org.verdict.test': 'driver-preludes', 'org.verdict.test-run': run },
      NetworkDisabled: true,
      Tty: false,
      HostConfig: {
        NetworkMode: 'none',
        Memory: 1024 * 1024 * 1024,
        MemorySwap: 1024 * 1024 * 1024,
        NanoCpus: 1e9,
        PidsLimit: 512,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
      },
    });
    created.add(container.id);
    try {
      await container.putArchive(tarOf(files), { path: '/work' });
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const [out, err] = [new PassThrough(), new PassThrough()];
      out.on('data', (chunk: Buffer) => stdout.push(chunk));
      err.on('data', (chunk: Buffer) => stderr.push(chunk));
      container.modem.demuxStream(stream, out, err);
      const ended = new Promise((resolve) => stream.once('end', resolve));
      await container.start();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${language} self-test still running after ${CONTAINER_TIMEOUT_MS} ms`)), CONTAINER_TIMEOUT_MS);
      });
      try {
        const { StatusCode } = (await Promise.race([container.wait(), timedOut])) as { StatusCode: number };
        await Promise.race([ended, timedOut]);
        const script = Buffer.concat(stderr).toString('utf8');
        if (StatusCode !== 0 || script) throw new Error(`${language} self-test script ended with ${StatusCode}: ${script}`);
      } finally {
        clearTimeout(timer);
      }
      return parseSteps(Buffer.concat(stdout));
    } finally {
      await container.remove({ force: true });
      created.delete(container.id);
    }
  }

  it('covers every language that supports function problems', () => {
    expect([...FUNCTION_LANGUAGES].sort()).toEqual([...LANGUAGES].sort());
  });

  describe.each(LANGUAGES)('%s', (language) => {
    let steps: Map<string, Step>;
    const step = (name: string): Step => {
      const found = steps?.get(name);
      if (!found) throw new Error(`${language}: the self-test did not run ${name}`);
      return found;
    };

    beforeAll(async () => {
      steps = await selfTest(language);
    }, CONTAINER_TIMEOUT_MS + 30_000);

    it("compiles with the compiler and flags of the language's driver", () => {
      const compiles = [...steps.keys()].filter((name) => name.startsWith('compile-'));
      expect(compiles).toHaveLength(commandsOf(language).compile.length);
      for (const name of compiles) {
        const { exitCode, stdout, stderr } = step(name);
        // The compiler's output in the failure message.
        expect({ exitCode, output: stdout + stderr }).toEqual({ exitCode: 0, output: '' });
      }
    });

    it.each(casesOf(language).map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
      const { exitCode, stdout, stderr } = step(`case-${i}`);
      const outcome = { exitCode, stdout, stderr };
      const expected = c.expect;
      if ('result' in expected) {
        expect(outcome).toEqual({ ...outcome, exitCode: 0, stdout: `${expected.result}\n` });
      } else if ('value' in expected) {
        expect(outcome).toEqual({ ...outcome, exitCode: 0, stdout: expect.stringMatching(/^[^\n]*\n$/) });
        expect(JSON.parse(stdout)).toEqual(JSON.parse(expected.value));
      } else if ('diagnostic' in expected) {
        expect(outcome).toEqual({ ...outcome, exitCode: 1, stdout: '' });
        const diagnostic = driverDiagnostic(stderr);
        if (typeof expected.diagnostic === 'string') expect(diagnostic).toBe(expected.diagnostic);
        else expect(diagnostic).toMatch(expected.diagnostic);
      } else {
        expect(outcome).toEqual({ ...outcome, stdout: '', stderr: expect.stringMatching(expected.crash) });
        expect(exitCode).not.toBe(0);
        expect(driverDiagnostic(stderr)).toBeNull();
      }
      // What the user's code printed went to stderr, not into the result.
      if (c.mode === 'echo' && exitCode === 0) expect(stderr).toMatch(/noise/);
    });

    if (DYNAMIC.includes(language)) {
      it("points an exception at the line of the user's own file", () => {
        const solution = language === 'python' ? 'selftest_solution.py' : 'selftest_solution.js';
        const line = readFileSync(join(DRIVERS, solution), 'utf8').split('\n').findIndex((text) => text.includes('raised on purpose')) + 1;
        const { stderr } = step(`case-${casesOf(language).findIndex((c) => c.mode === 'raise')}`);
        expect(stderr).toContain(language === 'python' ? `File "${solution}", line ${line}, in selfTest` : `${solution}:${line}`);
        // Python's traceback starts at the user's code: the driver's own frames would only hide it.
        if (language === 'python') expect(stderr).not.toContain('verdict_driver.py');
      });
    }
  });
});
