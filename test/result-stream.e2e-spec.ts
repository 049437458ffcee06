import { EventEmitter2 } from '@nestjs/event-emitter';
import { SubmissionView, TestResult, encodeResultEvent } from '@verdict/contracts';
import { SUBMISSION_FINISHED, SubmissionFinished } from '@verdict/submissions';
import { VerdictStack } from './support/verdict-stack';

const SLOW_TWO_TESTS = {
  language: 'python',
  source: 'import time\ntime.sleep(0.8)\nprint(input())\n',
  tests: [
    { input: 'a\n', expectedOutput: 'a\n' },
    { input: 'b\n', expectedOutput: 'b\n' },
  ],
};

/** The way results come back: lifecycle, progress, and idempotent, reliable stream consumption. */
describe('submission lifecycle and the result stream', () => {
  const stack = new VerdictStack();
  const stream = () => `${stack.prefix}:results`;

  /** What the API announced in-process, as a subscriber (webhooks, live progress) would see it. */
  const announced: SubmissionFinished[] = [];

  beforeAll(async () => {
    await stack.start({ worker: false });
    // Slots as a worker would count them: jobs reach BullMQ, where a test looks for them.
    await stack.workerSlots(1000);
    stack.api.get(EventEmitter2).on(SUBMISSION_FINISHED, (finished: SubmissionFinished) => announced.push(finished));
  });
  afterAll(() => stack.stop());

  /** Waits until the API's consumer group has read and acknowledged everything in the stream. */
  async function streamDrained(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const groups = (await stack.redis.xinfo('GROUPS', stream())) as unknown[][];
      const info = Object.fromEntries(
        (groups[0] as unknown[]).reduce<[string, unknown][]>((acc, v, j, arr) => (j % 2 ? acc : [...acc, [String(v), arr[j + 1]]]), []),
      );
      const last = (await stack.redis.xrevrange(stream(), '+', '-', 'COUNT', 1))[0]?.[0];
      if (info.pending === 0 && info['last-delivered-id'] === last) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('result stream not drained');
  }

  let finished: SubmissionView;

  // Before any worker starts: these events are the only ones the submission gets.
  it("drops progress of an earlier try that the final result does not carry", async () => {
    const id = await stack.submit({ ...SLOW_TWO_TESTS, tests: [...SLOW_TWO_TESTS.tests, { input: 'c\n', expectedOutput: 'c\n' }] });
    const { traceId } = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
    const base = { submissionId: id, traceparent: `00-${traceId}-0000000000000001-01` };
    const test = (index: number): TestResult => ({
      index, name: `test ${index + 1}`, verdict: 'AC', score: 1, message: '', cpuTimeMs: 1, cpuTimeMsRuns: [1], wallTimeMs: 1, memoryKb: 1,
      exitCode: 0, signal: null, stdout: '', stdoutTruncated: false, stderr: '', stderrTruncated: false,
    });
    const events = [
      encodeResultEvent({ type: 'running', ...base, attempt: 1, startedAt: new Date().toISOString(), workerId: 'e2e' }),
      // The first try got through three tests before its sandbox was lost...
      encodeResultEvent({ type: 'tests', ...base, attempt: 1, tests: [test(0), test(1), test(2)] }),
      // ...the second ended at the second test.
      encodeResultEvent({
        type: 'final', ...base, attempt: 2, status: 'completed', verdict: 'MLE', tests: [test(0), { ...test(1), verdict: 'MLE' }],
        compileOutput: null, message: 'the second try', finishedAt: new Date().toISOString(), score: null, maxScore: null, subtasks: [],
      }),
    ];
    for (const event of events) await stack.redis.xadd(stream(), '*', ...Object.entries(event).flat());
    await streamDrained();
    const judged = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
    expect({ status: judged.status, verdict: judged.verdict, tests: judged.tests.map((t) => [t.index, t.verdict]) })
      .toEqual({ status: 'completed', verdict: 'MLE', tests: [[0, 'AC'], [1, 'MLE']] });
  });

  it('goes queued -> running (with progress) -> completed, with ordered timestamps', async () => {
    const id = await stack.submit(SLOW_TWO_TESTS);
    const queued = (await stack.get(`/v1/submissions/${id}`)).body;
    expect(queued).toMatchObject({ id, status: 'queued', verdict: null, tests: [], testCount: 2, startedAt: null });
    expect(queued.traceId).toMatch(/^[0-9a-f]{32}$/);

    await stack.startWorker();
    const seen = new Set<string>();
    let sawPartialProgress = false;
    for (;;) {
      const now = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
      seen.add(now.status);
      if (now.status === 'running' && now.tests.length === 1) sawPartialProgress = true;
      if (now.status === 'completed') {
        finished = now;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...seen]).toEqual(expect.arrayContaining(['running', 'completed']));
    expect(sawPartialProgress).toBe(true);
    expect(finished.verdict).toBe('AC');
    expect(finished.tests.map((t) => t.index)).toEqual([0, 1]);
    expect(finished.traceId).toBe(queued.traceId);
    const [created, started, ended] = [finished.createdAt, finished.startedAt!, finished.finishedAt!].map((t) => Date.parse(t));
    expect(created).toBeLessThanOrEqual(started);
    expect(started).toBeLessThan(ended);
  });

  it('carries the submission trace id in every stream entry', async () => {
    const entries = await stack.redis.xrange(stream(), '-', '+');
    const mine = entries.filter(([, f]) => f.includes(finished.id));
    expect(mine.length).toBe(5); // running, compiled, tests [0], tests [1] (each test is slower than a progress interval), final
    for (const [, fields] of mine) {
      const traceparent = fields[fields.indexOf('traceparent') + 1];
      expect(traceparent.split('-')[1]).toBe(finished.traceId);
    }
  });

  it('ignores redelivered, duplicated and late events', async () => {
    await streamDrained();
    const before = (await stack.get(`/v1/submissions/${finished.id}`)).body;
    const entries = (await stack.redis.xrange(stream(), '-', '+')).filter(([, f]) => f.includes(finished.id));
    // Every event of the submission again, in reverse order, plus a forged late test result.
    for (const [, fields] of [...entries].reverse()) await stack.redis.xadd(stream(), '*', ...fields);
    const forged = encodeResultEvent({
      type: 'tests',
      submissionId: finished.id,
      traceparent: `00-${finished.traceId}-0000000000000001-01`,
      attempt: 9,
      tests: [{ ...finished.tests[0], verdict: 'WA', message: 'late and wrong' }],
    });
    await stack.redis.xadd(stream(), '*', ...Object.entries(forged).flat());
    await streamDrained();
    expect((await stack.get(`/v1/submissions/${finished.id}`)).body).toEqual(before);
  });

  it('announces SubmissionFinished in-process as stored, and again for a redelivered final (subscribers are idempotent)', async () => {
    await streamDrained();
    const mine = announced.filter((a) => a.submissionId === finished.id);
    // Once when judged, once more for the final the previous test sent again.
    expect(mine.length).toBe(2);
    for (const a of mine) expect(a).toEqual({ submissionId: finished.id, status: 'completed', verdict: finished.verdict, attempt: 1, judging: 1, batchId: null, traceId: finished.traceId });
  });

  it('moves an undecodable entry to the dead-letter stream and keeps consuming', async () => {
    await stack.redis.xadd(stream(), '*', 'v', '1', 'type', 'final', 'submissionId', 'nope', 'body', '{not json');
    await stack.redis.xadd(stream(), '*', 'garbage', 'entry');
    await streamDrained();
    const dead = await stack.redis.xrange(`${stream()}:dead`, '-', '+');
    const reasons = dead.map(([, f]) => f[f.indexOf('reason') + 1]);
    expect(reasons).toEqual(['body is not valid JSON', 'unsupported event version undefined (expected 1)']);
    const next = await stack.judge({ ...SLOW_TWO_TESTS, source: 'print(input())\n' });
    expect(next.verdict).toBe('AC');
  });

  it('ends a submission whose final result cannot be read as failed, with the reason, instead of leaving it running', async () => {
    const id = await stack.submit(SLOW_TWO_TESTS);
    // Before the worker (judging it meanwhile, 1.6 s of sleeps) can end it itself.
    await stack.redis.xadd(stream(), '*', 'v', '1', 'type', 'final', 'submissionId', id, 'traceparent', 'x', 'body', '{"tests":[{}]}');
    const ended = await stack.waitForResult(id);
    expect(ended).toMatchObject({ status: 'failed', verdict: 'IE', tests: [] });
    expect(ended.message).toMatch(/^the judge's final result could not be read: /);
  });

  /** Sends a forged `running` event for a queued submission, read (never acknowledged) by `consumer`. */
  async function leavePending(id: string, consumer: string): Promise<void> {
    const event = encodeResultEvent({
      type: 'running',
      submissionId: id,
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      attempt: 1,
      startedAt: new Date().toISOString(),
      workerId: 'w',
    });
    await stack.redis.xadd(stream(), '*', ...Object.entries(event).flat());
    const got = (await stack.redis.call('XREADGROUP', 'GROUP', 'api', consumer, 'COUNT', 10, 'STREAMS', stream(), '>')) as unknown[];
    expect(got).toHaveLength(1);
  }

  async function statusAfter(id: string, ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    let status = '';
    do {
      status = (await stack.get(`/v1/submissions/${id}`)).body.status;
      if (status !== 'queued') return status;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    return status;
  }

  it('re-reads its own unacknowledged entries on start, and claims those a dead consumer left', async () => {
    await Promise.all(stack.workers.map((w) => w.close()));
    stack.workers = [];
    // The API is down while a consumer of its own name (a crash before XACK) and a dead "ghost"
    // consumer each hold an unacknowledged entry.
    const ownId = await stack.submit(SLOW_TWO_TESTS);
    const ghostId = await stack.submit(SLOW_TWO_TESTS);
    await stack.stopApi();
    await leavePending(ownId, stack.env.RESULT_STREAM_CONSUMER!);
    await leavePending(ghostId, 'ghost');
    await stack.startApi();
    expect(await statusAfter(ownId, 10000)).toBe('running');
    expect(await statusAfter(ghostId, 15000)).toBe('running');
    const [pendingCount] = (await stack.redis.xpending(stream(), 'api')) as [number];
    expect(pendingCount).toBe(0);
  });

  it('returns the same submission for a retried POST with the same Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': `retry-${Date.now()}` };
    const first = await stack.post('/v1/submissions', SLOW_TWO_TESTS, headers);
    const second = await stack.post('/v1/submissions', SLOW_TWO_TESTS, headers);
    expect(first.status).toBe(202);
    expect(second.body).toEqual(first.body);
    const queue = stack.queue();
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'prioritized', 'delayed']);
    expect(jobs.filter((j) => j.data.submissionId === first.body.id)).toHaveLength(1);
    await queue.close();
  });
});
