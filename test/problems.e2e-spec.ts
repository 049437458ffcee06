import { INestApplicationContext } from '@nestjs/common';
import { LanguageCatalog } from '@verdict/languages';
import { problemLimitsFor } from '@verdict/problems';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_PROBLEMS, filesOf, jsonPackageOf, postBytes, zipOf } from './support/problem-packages';
import { testDataCacheOf } from './support/problem-worker';
import { TENANT, VerdictStack } from './support/verdict-stack';

const A_PLUS_B = 'a, b = map(int, input().split())\nprint(a + b)\n';
const A_MINUS_B = 'a, b = map(int, input().split())\nprint(a - b)\n';
const ARRAY_SUM = 'n = int(input())\nprint(sum(map(int, input().split())))\n';
/** Right for n <= 10 only: earns "small", fails "large". */
const ARRAY_SUM_SMALL_ONLY = 'n = int(input())\na = list(map(int, input().split()))\nprint(sum(a) if n <= 10 else 0)\n';
/** Right for n > 10 only: fails "small", so "large" (which depends on it) is not even run. */
const ARRAY_SUM_LARGE_ONLY = 'n = int(input())\na = list(map(int, input().split()))\nprint(sum(a) if n > 10 else 0)\n';
const COUNT_BYTES = 'import sys\nn = 0\nwhile True:\n    chunk = sys.stdin.buffer.read(1 << 20)\n    if not chunk:\n        break\n    n += len(chunk)\nprint(n)\n';

/**
 * Problem packages through the HTTP API against real Redis, and judged end to end by a real worker
 * whose TestDataSource is the TestDataCache (stored tests fetched once, then from its disk).
 */
describe('problems', () => {
  let cacheDir: string;
  let stack: VerdictStack;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'verdict-e2e-cache-'));
    stack = new VerdictStack({ TEST_DATA_CACHE_DIR: cacheDir, PROBLEM_MAX_TESTS: '20', PROBLEM_MAX_UPLOAD_MB: '1' });
    await stack.start({ worker: false });
    worker = await stack.startWorker();
  });
  afterAll(async () => {
    await stack.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  const createFromExample = async (name: string, changes: Record<string, unknown> = {}) => {
    const response = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, name), changes));
    if (response.status !== 201) throw new Error(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  describe('uploading', () => {
    it('creates a problem from the JSON form and serves its metadata and public samples only', async () => {
      const created = await createFromExample('a-plus-b');
      expect(created).toMatchObject({
        id: 'a-plus-b',
        version: 1,
        latestVersion: 1,
        title: 'A + B',
        kind: 'stdio',
        tags: ['math', 'beginner'],
        difficulty: 'easy',
        limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 },
        limitMultipliers: { python: { cpuTime: 2, memory: 1 } },
        checker: { type: 'tokens' },
        testCount: 6,
        pretestCount: 2,
        samples: [
          { name: 'sample-1', input: '1 2\n', output: '3\n' },
          { name: 'sample-2', input: '-5 5\n', output: '0\n' },
        ],
      });

      const { status, body } = await stack.get('/v1/problems/a-plus-b');
      expect(status).toBe(200);
      expect(body).toEqual(created);
      // Hidden tests never leave: not their content, not even their hashes.
      const served = JSON.stringify(body);
      expect(served).not.toContain('1000000000 1000000000');
      expect(served).not.toMatch(/[0-9a-f]{64}/);

      const list = await stack.get('/v1/problems');
      expect(list.body.problems).toEqual(
        expect.arrayContaining([
          { id: 'a-plus-b', title: 'A + B', tags: ['math', 'beginner'], difficulty: 'easy', latestVersion: 1, createdAt: expect.any(String), updatedAt: expect.any(String), ownerTenantId: TENANT, shared: false },
        ]),
      );
    });

    it('creates a problem from a zipped package directory, and never shows checker or interactor sources', async () => {
      const divisor = await postBytes(stack, '/v1/problems', await zipOf(await filesOf(join(EXAMPLE_PROBLEMS, 'any-divisor')), 'any-divisor'));
      expect(divisor.status).toBe(201);
      expect(divisor.body).toMatchObject({ id: 'any-divisor', checker: { type: 'testlib', language: 'cpp' } });
      expect(JSON.stringify(divisor.body)).not.toContain('#include');

      const guess = await postBytes(stack, '/v1/problems', await zipOf(await filesOf(join(EXAMPLE_PROBLEMS, 'guess-number'))));
      expect(guess.status).toBe(201);
      expect(guess.body).toMatchObject({ id: 'guess-number', kind: 'interactive', testCount: 5 });
      expect(JSON.stringify(guess.body)).not.toContain('#include');
    });

    it('creates a function problem, whose tests are JSON', async () => {
      const twoSum = await createFromExample('two-sum');
      expect(twoSum).toMatchObject({
        kind: 'function',
        function: { functionName: 'twoSum', parameters: [{ name: 'nums', type: 'int[]' }, { name: 'target', type: 'int' }], returnType: 'int[]' },
        checker: { type: 'json', anyOrder: true },
        samples: [{ name: 'example-1', input: '[[2, 7, 11, 15], 9]\n', output: '[0, 1]\n' }, expect.objectContaining({ name: 'example-2' })],
      });
    });

    it('generates an id from the title when the package has none', async () => {
      const created = await createFromExample('a-plus-b', { id: undefined, title: 'A + B, again' });
      expect(created.id).toMatch(/^a-b-again-[0-9a-f]{6}$/);
    });

    it('refuses a bad package with 400 and one message per problem, naming field and file', async () => {
      const body = await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'array-sum'), {
        id: 'broken',
        subtasks: [
          { name: 'samples', points: 0, tests: ['sample-1'] },
          { name: 'small', points: 30, tests: ['small-*'], dependsOn: ['large'] },
        ],
        tests: [{ name: 'sample-1', input: 'tests/sample-1.in', output: 'tests/sample-1.ans', sample: true }, { glob: 'tests/small-*.in' }, { glob: 'tests/large-*.in' }],
      });
      const response = await stack.post('/v1/problems', body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ type: 'https://verdict.dev/problems/invalid-request', status: 400, instance: '/v1/problems' });
      expect(response.body.errors).toEqual([
        { field: 'tests[0].output', message: 'tests/sample-1.ans: missing (named by tests[0].output)' },
        { field: 'subtasks[1].dependsOn[0]', message: 'problem.yaml: subtasks[1].dependsOn[0]: unknown subtask "large"' },
        { field: 'subtasks', message: 'problem.yaml: subtasks: tests "large-1", "large-2", "large-3" are in no subtask (every test must be in one; a 0-point subtask will do)' },
      ]);
      expect((await stack.get('/v1/problems/broken')).status).toBe(404);
    });

    it('refuses schema violations, a bad zip and other media types with clear messages', async () => {
      const schema = await stack.post('/v1/problems', { title: '', tests: 'all', limits: { memoryMb: 'lots' } });
      expect(schema.status).toBe(400);
      expect(schema.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'title', message: 'problem.yaml: title: must be a title that is not empty or blank (got "")' },
          { field: 'tests', message: 'problem.yaml: tests: must be a list' },
          { field: 'limits.memoryMb', message: 'problem.yaml: limits.memoryMb: must be an integer' },
        ]),
      );
      const notZip = await postBytes(stack, '/v1/problems', Buffer.from('not a zip'));
      expect(notZip.status).toBe(400);
      expect(notZip.body.errors).toEqual([{ field: null, message: expect.stringMatching(/^upload: not a readable zip archive/) }]);
      const text = await postBytes(stack, '/v1/problems', Buffer.from('title: x'), 'text/yaml');
      expect(text.status).toBe(415);
      expect(text.body).toMatchObject({ type: 'https://verdict.dev/problems/unsupported-media-type', detail: expect.stringMatching(/application\/zip/) });
    });

    it('answers 409 for an id that is taken and 404 for unknown problems and versions', async () => {
      const again = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'a-plus-b')));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ type: 'https://verdict.dev/problems/conflict', detail: 'problem "a-plus-b" already exists; add a version with POST /v1/problems/a-plus-b/versions' });
      expect((await stack.get('/v1/problems/no-such-problem')).status).toBe(404);
      expect((await stack.get('/v1/problems/Not_A_Slug')).status).toBe(404);
      expect((await stack.get('/v1/problems/a-plus-b?version=99')).body).toMatchObject({ status: 404, detail: 'problem "a-plus-b" has no version 99 (latest: 1)', instance: '/v1/problems/a-plus-b' });
      expect((await stack.get('/v1/problems/a-plus-b?version=zero')).status).toBe(400);
      expect((await stack.post('/v1/problems/no-such-problem/versions', await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'), { id: undefined }))).status).toBe(404);
    });

    it('checks the JSON values of function problems against the signature', async () => {
      const response = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'two-sum'), {
        id: 'two-sum-broken',
        files: { 'tests/1.args.json': '[[1, 2.5], "3"]', 'tests/1.expected.json': '[0, 1]', 'tests/2.args.json': '[[1, 2], 3]', 'tests/2.expected.json': '[0' },
        tests: [{ glob: 'tests/*.args.json' }],
      }));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'files["tests/1.args.json"]', message: expect.stringMatching(/^tests\/1\.args\.json: nums\[1\]: /) },
        { field: 'files["tests/1.args.json"]', message: expect.stringMatching(/^tests\/1\.args\.json: target: /) },
        { field: 'files["tests/2.expected.json"]', message: expect.stringMatching(/^tests\/2\.expected\.json: not valid JSON/) },
      ]);
    });

    it('serves starter code for function problems', async () => {
      const python = await stack.get('/v1/problems/two-sum/template?language=python');
      expect(python.status).toBe(200);
      expect(python.body).toMatchObject({ problemId: 'two-sum', version: 1, language: 'python', code: expect.stringContaining('twoSum') });
      const go = await stack.get('/v1/problems/two-sum/template?language=go');
      expect(go.body.code).toMatch(/func twoSum\(/);
    });

    it('holds packages to the configured bounds', async () => {
      const many = await stack.post('/v1/problems', {
        title: 'Many tests',
        tests: [{ glob: 'tests/*.in' }],
        files: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [[`tests/${i}.in`, `${i}`], [`tests/${i}.out`, `${i}`]]).flat()),
      });
      expect(many.status).toBe(400);
      expect(many.body.errors).toEqual([{ field: 'tests', message: 'problem.yaml: tests: 21 tests, more than the 20 a problem may have (PROBLEM_MAX_TESTS)' }]);
      const { randomBytes } = await import('node:crypto');
      const tooLarge = await postBytes(stack, '/v1/problems', await zipOf({ 'problem.yaml': 'title: Big\ntests: [{ input: big.in }]\n', 'big.in': randomBytes(1100 * 1024) }));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body).toMatchObject({ type: 'https://verdict.dev/problems/too-large', detail: 'upload: larger than 1 MB (PROBLEM_MAX_UPLOAD_MB)' });
    });

    it('has no template for a stdio problem', async () => {
      const response = await stack.get('/v1/problems/a-plus-b/template?language=python');
      expect(response.status).toBe(400);
      expect(response.body.detail).toBe('problem "a-plus-b" is a stdio problem: templates exist for function problems only');
      expect((await stack.get('/v1/problems/two-sum/template?language=cobol')).body.errors).toEqual([{ field: 'language', message: expect.stringMatching(/^language "cobol" is not supported/) }]);
    });
  });

  describe('judging', () => {
    beforeAll(() => createFromExample('array-sum'));

    it('judges A+B against its samples and hidden tests: AC and WA, recording the version and the multipliers', async () => {
      const accepted = await stack.judge({ language: 'python', source: A_PLUS_B, problemId: 'a-plus-b' });
      expect(accepted).toMatchObject({
        status: 'completed',
        verdict: 'AC',
        testCount: 6,
        passedTests: 6,
        score: 100,
        maxScore: 100,
        problem: { id: 'a-plus-b', version: 1 },
        limitMultipliers: { cpuTime: 2, memory: 1 },
        // The problem's limits, adjusted for Python's runtime, then doubled in CPU time by the problem.
        limits: problemLimitsFor(
          { limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 }, limitMultipliers: { python: { cpuTime: 2, memory: 1 } } },
          LanguageCatalog.load().get('python')!,
        ).limits,
      });
      expect(accepted.tests.map((t) => t.name)).toEqual(['sample-1', 'sample-2', '1', '2', '3', '4']);

      const wrong = await stack.judge({ language: 'python', source: A_MINUS_B, problemId: 'a-plus-b' });
      expect(wrong).toMatchObject({ verdict: 'WA', firstFailedTest: { index: 0, name: 'sample-1', verdict: 'WA' }, problem: { id: 'a-plus-b', version: 1 } });
      expect(wrong.score).toBe(16.666667); // of 6 tests sharing 100 points, only "0 0" passes
    });

    it('scores subtasks, running a dependent subtask only after its dependency earned full points', async () => {
      const full = await stack.judge({ language: 'python', source: ARRAY_SUM, problemId: 'array-sum' });
      expect(full).toMatchObject({ verdict: 'AC', score: 100, maxScore: 100, limitMultipliers: { cpuTime: 3, memory: 2 } });
      expect(full.subtasks.map((s) => s.name)).toEqual(['samples', 'small', 'large']);

      const smallOnly = await stack.judge({ language: 'python', source: ARRAY_SUM_SMALL_ONLY, problemId: 'array-sum' });
      expect(smallOnly).toMatchObject({ verdict: 'WA', score: 30, maxScore: 100 });
      expect(smallOnly.subtasks).toEqual([
        expect.objectContaining({ name: 'samples', points: 0, maxPoints: 0, verdict: 'AC' }),
        expect.objectContaining({ name: 'small', points: 30, maxPoints: 30, verdict: 'AC' }),
        expect.objectContaining({ name: 'large', points: 0, maxPoints: 70, verdict: 'WA' }),
      ]);

      const largeOnly = await stack.judge({ language: 'python', source: ARRAY_SUM_LARGE_ONLY, problemId: 'array-sum' });
      expect(largeOnly).toMatchObject({ verdict: 'WA', score: 0 });
      expect(largeOnly.subtasks[2]).toMatchObject({ name: 'large', points: 0, verdict: null, skipped: expect.stringContaining('subtask "small" it depends on failed') });
      expect(largeOnly.tests.map((t) => t.name)).toEqual(['sample-1', 'small-1', 'small-2']);
    });

    it('judges only the pretests when asked', async () => {
      const pretests = await stack.judge({ language: 'python', source: ARRAY_SUM_SMALL_ONLY, problemId: 'array-sum', pretestsOnly: true });
      expect(pretests.tests.map((t) => t.name)).toEqual(['sample-1', 'large-1']);
      expect(pretests).toMatchObject({ testCount: 2, verdict: 'WA' });
    });

    it('pins versions: an older version is judged as it was, the latest by default', async () => {
      const v2 = await stack.post('/v1/problems/a-plus-b/versions', await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'), {
        title: 'A - B',
        files: {
          'tests/sample-1.in': '5 3\n',
          'tests/sample-1.out': '2\n',
          'tests/1.in': '0 7\n',
          'tests/1.out': '-7\n',
        },
      }));
      expect(v2.status).toBe(201);
      expect(v2.body).toMatchObject({ id: 'a-plus-b', version: 2, latestVersion: 2, title: 'A - B', testCount: 2 });
      expect((await stack.get('/v1/problems/a-plus-b?version=1')).body).toMatchObject({ version: 1, latestVersion: 2, title: 'A + B' });
      expect((await stack.get('/v1/problems/a-plus-b')).body).toMatchObject({ version: 2, title: 'A - B' });

      const pinned = await stack.judge({ language: 'python', source: A_PLUS_B, problemId: 'a-plus-b', problemVersion: 1 });
      expect(pinned).toMatchObject({ verdict: 'AC', problem: { id: 'a-plus-b', version: 1 } });
      const latest = await stack.judge({ language: 'python', source: A_MINUS_B, problemId: 'a-plus-b' });
      expect(latest).toMatchObject({ verdict: 'AC', problem: { id: 'a-plus-b', version: 2 }, testCount: 2 });
    });

    it('never downloads the same test twice while it is cached', async () => {
      const cache = testDataCacheOf(worker);
      const before = cache.stats();
      // Everything of a-plus-b v1 is cached by now: judging it again reads only from disk.
      const again = await stack.judge({ language: 'python', source: A_PLUS_B, problemId: 'a-plus-b', problemVersion: 1 });
      expect(again.verdict).toBe('AC');
      const after = cache.stats();
      expect(after.downloads).toBe(before.downloads);
      expect(after.hits - before.hits).toBe(12); // 6 tests, each an input and an answer

      // A new problem judged twice at once: each of its files is downloaded exactly once.
      const { 'problem.yaml': _manifest, ...files } = await filesOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'));
      const respaced = Object.fromEntries(Object.entries(files).map(([path, content]) => [path, `${content.toString().trim()} \n`]));
      const fresh = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'), { id: 'a-plus-b-fresh', files: respaced }));
      expect(fresh.status).toBe(201);
      const results = await Promise.all([0, 1].map(() => stack.judge({ language: 'python', source: A_PLUS_B, problemId: 'a-plus-b-fresh' })));
      expect(results.map((r) => r.verdict)).toEqual(['AC', 'AC']);
      expect(cache.stats().downloads - after.downloads).toBe(new Set(Object.values(respaced)).size); // 24 reads
    });

    it('judges a test with a 50 MB input', async () => {
      const input = Buffer.alloc(50 * 1024 * 1024, '1 ');
      const manifest = 'id: big-input\ntitle: Count the bytes\nlimits: { cpuTimeMs: 5000, wallTimeMs: 15000, memoryMb: 256 }\ntests:\n  - { input: tests/big.in }\n';
      const upload = await postBytes(stack, '/v1/problems', await zipOf({ 'problem.yaml': manifest, 'tests/big.in': input, 'tests/big.out': `${input.length}\n` }));
      expect(upload.status).toBe(201);
      const result = await stack.judge({ language: 'python', source: COUNT_BYTES, problemId: 'big-input' });
      expect(result).toMatchObject({ verdict: 'AC', score: 100 });
      expect(testDataCacheOf(worker).stats().downloadedBytes).toBeGreaterThan(input.length);
    });

    it('deletes a problem: no longer listed, shown or judgeable; data only it used expires later', async () => {
      const { 'problem.yaml': _manifest, ...files } = await filesOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'));
      const unique = `${Date.now()} 0\n`;
      await createFromExample('a-plus-b', { id: 'short-lived', files: { ...Object.fromEntries(Object.entries(files).map(([p, c]) => [p, c.toString()])), 'tests/4.in': unique } });
      const response = await fetch(`${stack.baseUrl}/v1/problems/short-lived`, { method: 'DELETE', headers: stack.authHeaders() });
      expect(response.status).toBe(204);
      expect((await stack.get('/v1/problems/short-lived')).status).toBe(404);
      expect((await stack.get('/v1/problems')).body.problems.map((p: { id: string }) => p.id)).not.toContain('short-lived');
      expect((await fetch(`${stack.baseUrl}/v1/problems/short-lived`, { method: 'DELETE', headers: stack.authHeaders() })).status).toBe(404);
      const submission = await stack.post('/v1/submissions', { language: 'python', source: A_PLUS_B, problemId: 'short-lived' });
      expect(submission.body.errors).toEqual([{ field: 'problemId', message: 'problemId: problem "short-lived" not found' }]);
      // Submissions queued before the delete can still be judged: its own data expires, shared data stays.
      const { createHash } = await import('node:crypto');
      const key = (content: string) => `${stack.prefix}:test-data:${createHash('sha256').update(content).digest('hex')}`;
      expect(await stack.redis.ttl(key(unique))).toBeGreaterThan(0);
      expect(await stack.redis.ttl(key('1 2\n'))).toBe(-1);
    });
  });

  describe('submission requests', () => {
    const valid = { language: 'python', source: A_PLUS_B };
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['both inline tests and a problem', { tests: [{ input: '', expectedOutput: '' }], problemId: 'a-plus-b' }, 'problemId', 'problemId and tests are exclusive: judge against a problem or inline tests, not both'],
      ['neither inline tests nor a problem', {}, 'problemId', 'problemId or tests is required: name a problem to judge against, or give inline tests'],
      ['an unknown problem', { problemId: 'nope' }, 'problemId', 'problemId: problem "nope" not found'],
      ['an unknown version', { problemId: 'a-plus-b', problemVersion: 9 }, 'problemVersion', 'problemVersion: problem "a-plus-b" has no version 9 (latest: 2)'],
      ['a version without a problem', { tests: [{ input: '', expectedOutput: '' }], problemVersion: 1 }, 'problemVersion', 'problemVersion needs problemId'],
      ['pretests without a problem', { tests: [{ input: '', expectedOutput: '' }], pretestsOnly: true }, 'pretestsOnly', 'pretestsOnly needs problemId'],
      ['pretests of a problem without any', { problemId: 'two-sum', pretestsOnly: true }, 'pretestsOnly', 'pretestsOnly: problem "two-sum" version 1 has no pretests (no test is marked pretest: true)'],
      ['limits with a problem', { problemId: 'a-plus-b', limits: { cpuTimeMs: 10 } }, 'limits', 'limits are set by the problem: leave out limits when you give problemId'],
      ['a checker with a problem', { problemId: 'a-plus-b', checker: { type: 'exact' } }, 'checker', 'checker is set by the problem: leave out checker when you give problemId'],
      ['a malformed problem id', { problemId: 'A+B' }, 'problemId', 'problemId must be a slug: 1-64 lowercase letters, digits and inner hyphens'],
    ];

    it.each(cases)('refuses %s with 400', async (_name, fields, field, message) => {
      const response = await stack.post('/v1/submissions', { ...valid, ...fields });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field, message }]);
    });

    it('still judges inline tests exactly as before', async () => {
      const result = await stack.judge({ ...valid, tests: [{ input: '1 2\n', expectedOutput: '3\n' }] });
      expect(result).toMatchObject({ verdict: 'AC', problem: null, limitMultipliers: null, testCount: 1 });
    });
  });
});
