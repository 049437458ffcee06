import { SubmissionView } from '@verdict/contracts';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { EXAMPLE_PROBLEMS, jsonPackageOf } from './support/problem-packages';
import { VerdictStack } from './support/verdict-stack';

/**
 * The example problems of examples/problems, uploaded through the API and judged end to end by a
 * real worker: a stdin problem, a function problem in all five driver languages, a special judge
 * (testlib checker), an interactive problem (C++ interactor) and subtasks with a dependency. Each
 * solution is what a contestant would send, and gets the verdict and score it deserves.
 */
const SOLUTIONS_DIR = join(__dirname, '../examples/solutions');
const LANGUAGE_OF_EXTENSION: Record<string, string> = { '.py': 'python', '.cpp': 'cpp', '.c': 'c', '.go': 'go', '.java': 'java', '.js': 'javascript', '.rs': 'rust' };

/** examples/solutions/<problem>/<verdict>[-name].<ext>: what the README's demo judges too. */
function exampleSolutions(): { key: string; problemId: string; language: string; source: string; expected: string }[] {
  return readdirSync(SOLUTIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((problem) =>
      readdirSync(join(SOLUTIONS_DIR, problem.name))
        .filter((file) => LANGUAGE_OF_EXTENSION[extname(file)])
        .map((file) => ({
          key: `${problem.name}/${file}`,
          problemId: problem.name,
          language: LANGUAGE_OF_EXTENSION[extname(file)],
          source: readFileSync(join(SOLUTIONS_DIR, problem.name, file), 'utf8'),
          expected: basename(file, extname(file)).split('-')[0].toUpperCase(),
        })),
    );
}

/** An interactive solution that never answers: the interactor waits, the wall limit ends it. */
const SILENT = { language: 'python', source: 'import time\ninput()\ntime.sleep(60)\n' };

describe('the example problems, judged end to end', () => {
  const stack = new VerdictStack({ WORKER_CONCURRENCY: '2' });
  const results = new Map<string, Promise<SubmissionView>>();
  const judged = (key: string) => results.get(key)!;

  beforeAll(async () => {
    await stack.start();
    for (const name of ['a-plus-b', 'array-sum', 'two-sum', 'any-divisor', 'guess-number']) {
      // Full feedback: these tests read the checkers' and drivers' messages on hidden tests too.
      const response = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, name), { feedback: 'full' }));
      if (response.status !== 201) throw new Error(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    const submit = (key: string, problemId: string, body: { language: string; source: string }) =>
      results.set(key, stack.submit({ ...body, problemId }).then((id) => stack.waitForResult(id, { timeoutMs: 170000 })));
    for (const { key, problemId, language, source } of exampleSolutions()) submit(key, problemId, { language, source });
    submit('guess-number/silent', 'guess-number', SILENT);
  });

  afterAll(() => stack.stop());

  it.each(exampleSolutions().map((s) => [s.key, s.expected] as const))('%s gets %s', async (key, expected) => {
    const result = await judged(key);
    // The whole story on failure: the message, the compiler's output, the first failing test.
    expect({ verdict: result.verdict, message: result.message, compileOutput: result.verdict === 'CE' ? result.compileOutput : null, firstFailedTest: result.firstFailedTest }).toMatchObject({ verdict: expected });
  });

  describe('a stdin problem (a-plus-b)', () => {
    it('accepts a right solution with every point, recording the problem version', async () => {
      expect(await judged('a-plus-b/ac.py')).toMatchObject({ status: 'completed', verdict: 'AC', score: 100, maxScore: 100, problem: { id: 'a-plus-b', version: 1 } });
    });

    it('gives a wrong one WA, naming the first failing test', async () => {
      const result = await judged('a-plus-b/wa-difference.cpp');
      expect(result).toMatchObject({ verdict: 'WA', firstFailedTest: { verdict: 'WA' } });
      expect(result.score).toBeLessThan(100);
    });
  });

  describe('subtasks with a dependency (array-sum)', () => {
    it('gives a right solution every subtask', async () => {
      const result = await judged('array-sum/ac.cpp');
      expect(result).toMatchObject({ verdict: 'AC', score: 100, maxScore: 100 });
      expect(result.subtasks.map((s) => [s.name, s.points])).toEqual(expect.arrayContaining([['small', 30], ['large', 70]]));
    });

    it('gives a solution right only for small inputs the small subtask', async () => {
      const result = await judged('array-sum/wa-small-only.py');
      expect(result).toMatchObject({ verdict: 'WA', score: 30, maxScore: 100 });
    });
  });

  describe('a function problem (two-sum), in every driver language', () => {
    it.each(['py', 'cpp', 'go', 'java', 'js'])('ac.%s: every test passed, full score', async (extension) => {
      const result = await judged(`two-sum/ac.${extension}`);
      expect(result).toMatchObject({ verdict: 'AC', score: 100, passedTests: result.testCount });
    });

    it('gives a wrong result WA with where it differs, and a wrong return type a clear runtime error', async () => {
      expect(await judged('two-sum/wa-first-two.py')).toMatchObject({ verdict: 'WA' });
      const wrongType = await judged('two-sum/re-returns-a-string.py');
      expect(wrongType).toMatchObject({ verdict: 'RE' });
      expect(wrongType.tests[0].message).toMatch(/twoSum returned a string, expected int\[\]/);
    });
  });

  describe('a special judge (any-divisor, testlib checker)', () => {
    it('accepts any right answer, not only the one in the answer file', async () => {
      expect(await judged('any-divisor/ac-smallest.py')).toMatchObject({ verdict: 'AC', score: 100 });
      expect(await judged('any-divisor/ac-largest.py')).toMatchObject({ verdict: 'AC', score: 100 });
    });

    it('gives a wrong answer WA and a malformed one PE, with the checker\'s message', async () => {
      const wrong = await judged('any-divisor/wa-prints-n.py');
      expect(wrong).toMatchObject({ verdict: 'WA' });
      expect(wrong.tests.find((t) => t.verdict === 'WA')!.message).toMatch(/is not a divisor/);
      const malformed = await judged('any-divisor/pe-words.py');
      expect(malformed).toMatchObject({ verdict: 'PE' });
      expect(malformed.tests[0].message).toMatch(/expected an integer/);
    });
  });

  describe('an interactive problem (guess-number, C++ interactor)', () => {
    it.each(['cpp', 'py'])('accepts binary search (ac-binary-search.%s)', async (extension) => {
      expect(await judged(`guess-number/ac-binary-search.${extension}`)).toMatchObject({ verdict: 'AC', score: 100 });
    });

    it("gives a linear search the interactor's WA, and a program that never answers TLE", async () => {
      const linear = await judged('guess-number/wa-linear.py');
      expect(linear).toMatchObject({ verdict: 'WA' });
      expect(linear.tests.find((t) => t.verdict === 'WA')!.message).toMatch(/no guesses left/);
      const silent = await judged('guess-number/silent');
      expect(silent).toMatchObject({ verdict: 'TLE' });
    });
  });

  it('leaves no sandbox behind', async () => {
    await Promise.allSettled(results.values());
    expect(await stack.leftoverContainers()).toEqual([]);
  });
});
