import { SubmissionView } from '@verdict/contracts';
import { randomBytes } from 'node:crypto';
import { openEventStream } from './support/server-sent-events';
import { VerdictStack } from './support/verdict-stack';

/**
 * Hidden tests stay hidden on the public read path: whatever a program prints back (its input, on
 * stdout, stderr or in its exit code) and whatever a checker quotes (the expected answer, the
 * input), a GET of the result shows it only at the problem's `full` feedback level. Samples and
 * inline tests are always shown in full. Each result is searched whole, every field.
 */
const hex = () => randomBytes(6).toString('hex');
const SAMPLE_INPUT = `sample-input-${hex()}`;
const HIDDEN_INPUT = `hidden-input-${hex()}`;
const HIDDEN_ANSWER = `hidden-answer-${hex()}`;

/** Says everything it was given, everywhere it can, and exits with a code that depends on it. */
const ECHO_PY = [
  'import sys',
  'data = sys.stdin.read()',
  'print(data)',
  'print("read:", data, file=sys.stderr)',
  'sys.exit(3 if data.startswith("hidden") else 0)',
].join('\n');
const WRONG_PY = 'print("0")\n';

/** A Kattis validator that quotes both the input and the expected answer in its message. */
const QUOTING_VALIDATOR = [
  'import sys',
  'input_file, answer_file, feedback_dir = sys.argv[1:4]',
  'said = sys.stdin.read()',
  'expected = open(answer_file).read()',
  'if said.strip() == expected.strip():',
  '    sys.exit(42)',
  'open(feedback_dir + "judgemessage.txt", "w").write(f"input {open(input_file).read()!r}: expected {expected!r}, got {said!r}")',
  'sys.exit(43)',
].join('\n');

const problem = (id: string, extra: object) => ({
  id,
  title: id,
  tests: [
    { name: 'sample', input: 'tests/sample.in', output: 'tests/sample.out', sample: true },
    { name: '1', input: 'tests/1.in', output: 'tests/1.out' },
    { name: '2', input: 'tests/2.in', output: 'tests/2.out' },
  ],
  files: {
    'tests/sample.in': `${SAMPLE_INPUT}\n`,
    'tests/sample.out': 'sample-answer\n',
    'tests/1.in': `${HIDDEN_INPUT}\n`,
    'tests/1.out': `${HIDDEN_ANSWER}\n`,
    'tests/2.in': `${HIDDEN_INPUT} again\n`,
    'tests/2.out': `${HIDDEN_ANSWER} again\n`,
  },
  ...extra,
});

const PROBLEMS = {
  'default-level': problem('default-level', {}),
  'quoting-checker': problem('quoting-checker', { checker: { type: 'kattis', language: 'python', source: 'validator.py' }, files: { ...problem('x', {}).files, 'validator.py': QUOTING_VALIDATOR } }),
  'summary-level': problem('summary-level', { feedback: 'summary' }),
  'full-level': problem('full-level', { feedback: 'full' }),
};

const leaksHidden = (view: SubmissionView) => {
  const text = JSON.stringify(view);
  return text.includes(HIDDEN_INPUT) || text.includes(HIDDEN_ANSWER);
};

describe('feedback levels: what a result shows of hidden tests', () => {
  const stack = new VerdictStack({ WORKER_CONCURRENCY: '2' });
  const results = new Map<string, Promise<SubmissionView>>();

  beforeAll(async () => {
    await stack.start();
    for (const body of Object.values(PROBLEMS)) {
      const created = await stack.post('/v1/problems', body);
      if (created.status !== 201) throw new Error(`${body.id}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    for (const problemId of Object.keys(PROBLEMS)) {
      for (const [name, source] of [['echo', ECHO_PY], ['wrong', WRONG_PY]]) {
        results.set(`${problemId}/${name}`, stack.judge({ problemId, language: 'python', source }));
      }
    }
  });

  afterAll(async () => {
    await Promise.allSettled(results.values());
    await stack.stop();
  });

  it('publishes the level with the problem: tests unless the package says otherwise', async () => {
    expect((await stack.get('/v1/problems/default-level')).body.feedback).toBe('tests');
    expect((await stack.get('/v1/problems/summary-level')).body.feedback).toBe('summary');
  });

  it('rejects a level that does not exist, naming the field', async () => {
    const rejected = await stack.post('/v1/problems', problem('bad-level', { feedback: 'everything' }));
    expect(rejected.status).toBe(400);
    expect(JSON.stringify(rejected.body)).toMatch(/feedback/);
  });

  it.each(['default-level/echo', 'default-level/wrong', 'quoting-checker/echo', 'quoting-checker/wrong', 'summary-level/echo', 'summary-level/wrong'])(
    '%s: no field of the result shows a hidden input or answer',
    async (key) => {
      const view = await results.get(key)!;
      expect(view.status).toBe('completed');
      expect(leaksHidden(view)).toBe(false);
    },
  );

  it('tests: each hidden test shows its verdict, time, memory and score, and nothing it printed or its exit code', async () => {
    const view = await results.get('default-level/echo')!;
    expect(view.feedback).toEqual({ level: 'tests', hiddenTests: 2 });
    expect(view.tests.map((t) => t.verdict)).toEqual(['WA', 'RE', 'RE']);
    for (const test of view.tests.slice(1)) {
      expect(test).toMatchObject({ stdout: '', stderr: '', message: '', exitCode: null, signal: null });
      expect(test.cpuTimeMs).toBeGreaterThanOrEqual(0);
      expect(test.memoryKb).toBeGreaterThan(0);
    }
  });

  it("feedback=full: the problem's owner sees hidden tests in full; a tenant it is shared with is refused (403); an admin sees them", async () => {
    const view = await results.get('default-level/echo')!;
    const full = await stack.get(`/v1/submissions/${view.id}?feedback=full`);
    expect(full.status).toBe(200);
    expect(full.body.feedback).toEqual({ level: 'full', hiddenTests: 2 });
    expect(leaksHidden(full.body)).toBe(true);
    expect((await stack.get(`/v1/submissions/${view.id}`)).body).toEqual(view);

    const shared = await fetch(`${stack.baseUrl}/v1/problems/default-level/sharing`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminKey}` },
      body: JSON.stringify({ shared: true }),
    });
    expect(shared.status).toBe(200);
    const other = { authorization: `Bearer ${await stack.createTenantKey('feedback-other', ['submit', 'read'])}` };
    const theirs = await stack.post('/v1/submissions', { problemId: 'default-level', language: 'python', source: ECHO_PY }, other);
    expect(theirs.status).toBe(202);
    const refused = await stack.get(`/v1/submissions/${theirs.body.id}?feedback=full`, other);
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ field: 'feedback', message: 'feedback=full: hidden tests of problem "default-level" are shown in full only to its owner and to admins' }]);
    const byAdmin = await stack.get(`/v1/submissions/${view.id}?feedback=full`, { authorization: `Bearer ${stack.adminKey}` });
    expect(leaksHidden(byAdmin.body)).toBe(true);
  });

  it('the sample is shown in full, output and checker message included', async () => {
    const echoed = await results.get('default-level/echo')!;
    expect(echoed.tests[0].stdout).toContain(SAMPLE_INPUT);
    expect(echoed.tests[0].stderr).toContain(SAMPLE_INPUT);
    const quoted = await results.get('quoting-checker/wrong')!;
    expect(quoted.tests[0].message).toContain('sample-answer');
  });

  it.each(['default-level/echo', 'quoting-checker/wrong', 'summary-level/echo'])(
    '%s: live progress shows exactly what GET shows, and nothing hidden',
    async (key) => {
      const view = await results.get(key)!;
      const stream = await openEventStream(`${stack.baseUrl}/v1/submissions/${view.id}/events`, stack.authHeaders());
      await stream.ended;
      const data = stream.events.map((event) => JSON.parse(event.data));
      expect(stream.events.filter((event) => event.type === 'test').map((event) => JSON.parse(event.data).result)).toEqual(view.tests);
      expect(data[data.length - 1]).toEqual(view);
      expect(data.some((d) => leaksHidden(d))).toBe(false);
    },
  );

  it('summary: the overall verdict and score, the sample, and no hidden test', async () => {
    const view = await results.get('summary-level/wrong')!;
    expect(view).toMatchObject({ verdict: 'WA', score: 0, maxScore: 100, testCount: 3, subtasks: [], feedback: { level: 'summary', hiddenTests: 2 } });
    expect(view.tests.map((t) => t.name)).toEqual(['sample']);
  });

  it('full: the problem chose to show everything', async () => {
    const view = await results.get('full-level/echo')!;
    expect(view.feedback).toEqual({ level: 'full', hiddenTests: 2 });
    expect(view.tests[1]).toMatchObject({ exitCode: 3 });
    expect(view.tests[1].stdout).toContain(HIDDEN_INPUT);
  });

  it('the stored result keeps everything: only the read path filters', async () => {
    const view = await results.get('default-level/echo')!;
    const stored = await stack.redis.hget(`${stack.prefix}:submission:${view.id}`, 'test:1');
    expect(stored).toContain(HIDDEN_INPUT);
  });

  it('inline tests are shown in full: the submitter wrote them', async () => {
    const view = await stack.judge({ language: 'python', source: ECHO_PY, tests: [{ input: `${HIDDEN_INPUT}\n`, expectedOutput: HIDDEN_ANSWER }] });
    expect(view.feedback).toBeNull();
    expect(view.tests[0]).toMatchObject({ exitCode: 3 });
    expect(view.tests[0].stdout).toContain(HIDDEN_INPUT);
  });
});
