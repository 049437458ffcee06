import { SubmissionView } from '@verdict/contracts';
import { VerdictStack } from './support/verdict-stack';

/**
 * Problems' own checker programs through the API: a Kattis output validator (exit 42/43, message in
 * feedback_dir/judgemessage.txt), testlib's points (a partial score), and checkers that fail or do
 * not build, which must end the submission as IE, never as a verdict against the submission.
 */
const KATTIS_VALIDATOR = [
  'import sys',
  'input_file, answer_file, feedback_dir = sys.argv[1:4]',
  'expected = int(open(answer_file).read())',
  'try:',
  '    got = int(sys.stdin.read().split()[0])',
  'except (ValueError, IndexError):',
  '    open(feedback_dir + "judgemessage.txt", "w").write("not a number")',
  '    sys.exit(43)',
  'if abs(got - expected) <= 1:',
  '    sys.exit(42)',
  'open(feedback_dir + "judgemessage.txt", "w").write(f"off by {got - expected}")',
  'sys.exit(43)',
].join('\n');

/** testlib's points: the score is the fraction of numbers the output got right. */
const POINTS_CHECKER = [
  '#include <fstream>',
  '#include <iostream>',
  'int main(int argc, char** argv) {',
  '  std::ifstream output(argv[2]), answer(argv[3]);',
  '  int right = 0, total = 0;',
  '  for (long long want, got; answer >> want; total++) if (output >> got && got == want) right++;',
  '  if (right == total) { std::cerr << "all " << total << " right"; return 0; }',
  '  std::cerr << (double)right / total << " " << right << " of " << total << " right";',
  '  return 7;',
  '}',
].join('\n');

const failingChecker = (code: number) => `int main() { return ${code}; }\n`;

const problem = (id: string, checker: object, files: Record<string, string>) => ({
  id,
  title: id,
  feedback: 'full', // the checkers' messages on hidden tests are what is tested
  checker,
  tests: [
    { name: '1', input: 'tests/1.in', output: 'tests/1.out' },
    { name: '2', input: 'tests/2.in', output: 'tests/2.out' },
  ],
  files: { 'tests/1.in': '2 3\n', 'tests/1.out': '5\n', 'tests/2.in': '10 20\n', 'tests/2.out': '30\n', ...files },
});

const SUM = 'a, b = map(int, input().split())\nprint(a + b)\n';

describe('problem checker programs', () => {
  const stack = new VerdictStack();
  const judge = (problemId: string, source: string): Promise<SubmissionView> => stack.judge({ problemId, language: 'python', source });

  beforeAll(async () => {
    await stack.start();
    const packages = [
      problem('close-enough', { type: 'kattis', language: 'python', source: 'validator.py' }, { 'validator.py': KATTIS_VALIDATOR }),
      problem('every-number', { type: 'testlib', language: 'cpp', source: 'checker.cpp' }, { 'checker.cpp': POINTS_CHECKER, 'tests/2.out': '30 40\n' }),
      problem('failing-checker', { type: 'testlib', language: 'cpp', source: 'checker.cpp' }, { 'checker.cpp': failingChecker(3) }),
      problem('broken-checker', { type: 'testlib', language: 'cpp', source: 'checker.cpp' }, { 'checker.cpp': 'int main( {' }),
    ];
    for (const body of packages) {
      const created = await stack.post('/v1/problems', body);
      if (created.status !== 201) throw new Error(`${body.id}: ${created.status} ${JSON.stringify(created.body)}`);
    }
  });

  afterAll(() => stack.stop());

  it('runs a Kattis output validator: 42 accepted, 43 wrong with its judge message', async () => {
    expect(await judge('close-enough', SUM)).toMatchObject({ verdict: 'AC', score: 100 });
    expect(await judge('close-enough', 'a, b = map(int, input().split())\nprint(a + b + 1)\n')).toMatchObject({ verdict: 'AC' });
    const off = await judge('close-enough', 'a, b = map(int, input().split())\nprint(a + b + 5)\n');
    expect(off).toMatchObject({ verdict: 'WA' });
    expect(off.tests[0]).toMatchObject({ verdict: 'WA', message: 'off by 5' });
  });

  it("gives testlib's points a partial score (PA)", async () => {
    const half = await judge('every-number', SUM);
    expect(half).toMatchObject({ verdict: 'PA', score: 75, maxScore: 100, tests: [{ verdict: 'AC', score: 1 }, { verdict: 'PA', score: 0.5 }] });
    expect(half.tests[1].message).toMatch(/1 of 2 right/);
  });

  it("ends the submission as IE when the checker fails or does not build, saying so", async () => {
    const failed = await judge('failing-checker', SUM);
    expect(failed).toMatchObject({ status: 'failed', verdict: 'IE' });
    expect(failed.message).toMatch(/the problem's checker failed on test 1: it reported a failure \(exit code 3\)/);
    const broken = await judge('broken-checker', SUM);
    expect(broken).toMatchObject({ status: 'failed', verdict: 'IE' });
    expect(broken.message).toMatch(/the problem's checker does not build: compilation failed/);
  });
});
