import { EventEmitter2 } from '@nestjs/event-emitter';
import { BATCH_FINISHED, BatchFinished } from '@verdict/batches';
import { VerdictStack } from './support/verdict-stack';

/**
 * Batches and rejudges through the public API: POST /v1/batches, GET /v1/batches/:id (counts,
 * completion), results pages and JSON lines, DELETE (cancel), POST /v1/problems/:id/rejudge (lane
 * below fresh submissions, previous judgings kept) and GET /v1/submissions (filters, cursor), with
 * real workers on real Redis and Docker.
 */
const AC = 'print(sum(map(int, input().split())))\n';
const WA = 'print(0)\n';
const CE = 'def broken(:\n';
const TESTS = [{ input: '1 2\n', expectedOutput: '3\n' }];
const item = (source: string) => ({ language: 'python', source, tests: TESTS });

async function waitForBatch(stack: VerdictStack, id: string, timeoutMs = 120000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await stack.get(`/v1/batches/${id}`);
    if (body.finishedAt) return body;
    if (Date.now() > deadline) throw new Error(`batch ${id} not finished: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function request(stack: VerdictStack, method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.baseUrl}${path}`, { method, headers: { ...stack.authHeaders(), ...headers } });
}

describe('batches', () => {
  describe('judged by a worker', () => {
    const stack = new VerdictStack();
    const announced: BatchFinished[] = [];

    beforeAll(async () => {
      await stack.start();
      stack.api.get(EventEmitter2).on(BATCH_FINISHED, (event: BatchFinished) => void announced.push(event));
    });
    afterAll(() => stack.stop());

    it('judges a batch: counts by status and verdict, completion, results pages and JSON lines, listing', async () => {
      const accepted = await stack.post('/v1/batches', { label: 'mixed', submissions: [item(AC), item(WA), item(CE)] });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ id: expect.any(String), status: 'queued', total: 3 });
      const id = accepted.body.id;

      const batch = await waitForBatch(stack, id);
      expect(batch).toMatchObject({
        id, kind: 'batch', label: 'mixed', total: 3, finished: 3, progress: 1,
        statuses: { queued: 0, running: 0, completed: 3, failed: 0, cancelled: 0 },
        verdicts: { AC: 1, WA: 1, CE: 1 },
      });
      expect(Date.parse(batch.finishedAt)).toBeGreaterThanOrEqual(Date.parse(batch.createdAt));
      expect(announced.filter((e) => e.batchId === id)[0]).toEqual({ batchId: id, total: 3, finishedAt: batch.finishedAt, callbackUrl: null, traceparent: expect.stringMatching(new RegExp(`^00-${accepted.body.traceId}-[0-9a-f]{16}-0[01]$`)) });

      const first = await stack.get(`/v1/batches/${id}/results?limit=2`);
      expect(first.body.items.map((v: any) => v.verdict)).toEqual(['AC', 'WA']);
      expect(first.body.nextCursor).toBe('2');
      const second = await stack.get(`/v1/batches/${id}/results?limit=2&cursor=2`);
      expect(second.body).toMatchObject({ items: [expect.objectContaining({ verdict: 'CE', batchId: id })], nextCursor: null });
      expect(first.body.items[0]).toEqual((await stack.get(`/v1/submissions/${first.body.items[0].id}`)).body);

      const lines = await request(stack, 'GET', `/v1/batches/${id}/results`, { accept: 'application/x-ndjson' });
      expect(lines.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const views = (await lines.text()).trim().split('\n').map((line) => JSON.parse(line));
      expect(views.map((v) => v.verdict)).toEqual(['AC', 'WA', 'CE']);

      const members = await stack.get(`/v1/submissions?batch=${id}`);
      expect(members.body.items.map((s: any) => s.id).sort()).toEqual(views.map((v) => v.id).sort());
      expect(members.body.items[0]).toMatchObject({ status: 'completed', language: 'python', batchId: id, judging: 1 });
      const wrong = await stack.get(`/v1/submissions?batch=${id}&verdict=WA`);
      expect(wrong.body.items.map((s: any) => s.id)).toEqual([views[1].id]);

      // Newest first, one at a time, to the end.
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: any } = await stack.get(`/v1/submissions?batch=${id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        walked.push(...page.body.items.map((s: any) => s.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(walked).toEqual(members.body.items.map((s: any) => s.id));
      expect((await stack.get('/v1/submissions?status=cancelled')).body.items).toEqual([]);
    });

    it('a rejudge after a new version judges again on it, keeps the earlier judging, and waits below a fresh submission', async () => {
      const problem = (answer: string) => ({ id: 'echo', title: 'Echo', tests: [{ input: 'tests/1.in', output: 'tests/1.out' }], files: { 'tests/1.in': '1\n', 'tests/1.out': answer } });
      expect((await stack.post('/v1/problems', problem('1\n'))).status).toBe(201);
      const echo = { language: 'python', source: 'print(input())\n', problemId: 'echo' };
      const ids = [await stack.submit(echo), await stack.submit(echo)];
      for (const id of ids) expect(await stack.waitForResult(id)).toMatchObject({ verdict: 'AC', judging: 1 });

      // Nothing is taken while the worker is away: the order below is the queue's alone.
      await Promise.all(stack.workers.map((w) => w.close()));
      stack.workers = [];
      expect((await stack.post('/v1/problems/echo/versions', problem('2\n'))).status).toBe(201);
      const rejudge = await stack.post('/v1/problems/echo/rejudge', { verdicts: ['AC'] });
      expect(rejudge.status).toBe(202);
      expect(rejudge.body.total).toBe(2);
      const fresh = await stack.submit(item(AC));
      await stack.startWorker({ WORKER_CONCURRENCY: '1' });

      const batch = await waitForBatch(stack, rejudge.body.id);
      expect(batch).toMatchObject({ kind: 'rejudge', problemId: 'echo', total: 2, verdicts: { WA: 2 } });
      const freshView = await stack.waitForResult(fresh);
      for (const id of ids) {
        const view = (await stack.get(`/v1/submissions/${id}`)).body;
        expect(view).toMatchObject({ verdict: 'WA', judging: 2, problem: { id: 'echo', version: 2 }, batchId: rejudge.body.id });
        expect(view.previousJudgings).toEqual([expect.objectContaining({ judging: 1, status: 'completed', verdict: 'AC', problem: { id: 'echo', version: 1 } })]);
        expect(Date.parse(freshView.startedAt!)).toBeLessThanOrEqual(Date.parse(view.startedAt));
      }
      const listed = await stack.get('/v1/submissions?problem=echo');
      expect(listed.body.items.map((s: any) => s.id).sort()).toEqual([...ids].sort());
    });
  });

  describe('with no worker at first', () => {
    const stack = new VerdictStack();
    beforeAll(() => stack.start({ worker: false }));
    afterAll(() => stack.stop());

    it('refuses a batch whole, naming each bad item by index, and creates nothing', async () => {
      const refused = await stack.post('/v1/batches', { submissions: [item(AC), { ...item(AC), language: 'cobol' }, { ...item(AC), limits: { memoryMb: 1 } }] });
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: any) => e.field)).toEqual(['submissions[1].language', 'submissions[2].limits.memoryMb']);
      expect(refused.body.errors[0].message).toMatch(/^submissions\[1\]\.language "cobol" is not supported/);
      expect(await stack.redis.keys(`${stack.prefix}:submission:*`)).toEqual([]);
      expect(await stack.redis.exists(`${stack.prefix}:submissions`, `${stack.prefix}:open-submissions`)).toBe(0);
      expect(await stack.redis.keys(`${stack.prefix}:batch*`)).toEqual([]);
      const queue = stack.queue();
      expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active')).toBe(0);
      await queue.close();
    });

    it('cancels members that have not started: they end cancelled, finish the batch, and are never judged', async () => {
      const { body } = await stack.post('/v1/batches', { submissions: [item(AC), item(WA)] });
      const cancel = await request(stack, 'DELETE', `/v1/batches/${body.id}`);
      expect(await cancel.json()).toEqual({ cancelled: 2 });
      const batch = await waitForBatch(stack, body.id);
      expect(batch).toMatchObject({ statuses: { queued: 0, cancelled: 2 }, finished: 2, progress: 1, verdicts: {} });

      await stack.startWorker();
      // The worker judges what is queued after the batch, so it has passed the batch's place in the queue.
      await stack.judge(item(AC));
      const results = await stack.get(`/v1/batches/${body.id}/results`);
      expect(results.body.items.map((v: any) => [v.status, v.verdict, v.startedAt])).toEqual([['cancelled', null, null], ['cancelled', null, null]]);
      const queue = stack.queue();
      for (const view of results.body.items) expect(await queue.getJob(view.id)).toBeUndefined();
      await queue.close();
    });
  });
});
