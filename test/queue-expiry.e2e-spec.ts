import { SubmissionView } from '@verdict/contracts';
import { randomBytes } from 'node:crypto';
import { VerdictStack } from './support/verdict-stack';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * No submission waits forever: with no worker running, a submission queued longer than
 * MAX_QUEUE_AGE_SECONDS (1 s here, swept every 200 ms) ends failed "expired in queue", as GET shows,
 * its job leaves the queue, its webhook is sent and its batch counts it. Nothing is timed: each
 * outcome is polled for until a deadline.
 */
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const DEADLINE_MS = 30000;
const PYTHON = (callbackUrl?: string) => ({ language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '2 3\n', expectedOutput: '5\n' }], ...(callbackUrl ? { callbackUrl } : {}) });

describe('submissions queued longer than MAX_QUEUE_AGE_SECONDS', () => {
  const receiver = new WebhookReceiver(SECRET);
  const stack = new VerdictStack({
    MAX_QUEUE_AGE_SECONDS: '1',
    JOB_RECONCILE_INTERVAL_MS: '200',
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  });
  const queue = stack.queue();

  beforeAll(async () => {
    await receiver.start();
    // No worker: nothing ever takes a job.
    await stack.start({ worker: false });
    // The stack's tenant submits: its own webhook secret signs.
    receiver.secret = await stack.webhookSecret();
  });
  afterAll(async () => {
    await queue.close();
    await stack.stop();
    await receiver.stop();
  });

  /** Polls until `probe` returns a value, or fails naming what it waited for. */
  async function until<T>(what: string, probe: () => Promise<T | null | undefined>): Promise<T> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('ends a submission nobody judges as failed "expired in queue": GET shows it, its job is gone, its webhook is sent', async () => {
    const accepted = await stack.post('/v1/submissions', PYTHON(receiver.url('/expired')));
    expect(accepted).toMatchObject({ status: 202, body: { status: 'queued' } });
    const id: string = accepted.body.id;

    const view = await stack.waitForResult(id, { timeoutMs: DEADLINE_MS });
    expect(view).toMatchObject({ id, status: 'failed', verdict: 'IE', message: 'expired in queue', tests: [], startedAt: null, judging: 1 });
    expect(view.finishedAt).not.toBeNull();

    await until(`job ${id} to leave the queue`, async () => ((await queue.getJob(id)) === undefined ? true : null));

    const eventId = `msg_${id}_1`;
    await receiver.until((received) => received.some((r) => r.headers['webhook-id'] === eventId), DEADLINE_MS);
    const [webhook] = receiver.receivedFor(eventId);
    expect(webhook.verificationError).toBeNull();
    const shown = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
    expect(webhook.payload).toEqual({ type: 'submission.completed', timestamp: shown.finishedAt, data: shown });
  });

  it("a batch whose members expire counts them finished, and is finished itself", async () => {
    const batch = await stack.post('/v1/batches', { label: 'never judged', submissions: [PYTHON(), PYTHON()] });
    expect(batch.status).toBe(202);
    const batchId: string = batch.body.id;

    const finished = await until(`batch ${batchId} to finish`, async () => {
      const { status, body } = await stack.get(`/v1/batches/${batchId}`);
      if (status !== 200) throw new Error(`GET batch ${batchId}: ${status} ${JSON.stringify(body)}`);
      return body.finishedAt !== null ? body : null;
    });
    expect(finished).toMatchObject({ total: 2, finished: 2, progress: 1, statuses: { queued: 0, running: 0, failed: 2 }, verdicts: { IE: 2 } });

    const results = await stack.get(`/v1/batches/${batchId}/results`);
    expect(results.status).toBe(200);
    for (const member of results.body.items as SubmissionView[]) {
      expect(member).toMatchObject({ status: 'failed', verdict: 'IE', message: 'expired in queue', batchId });
      expect(await queue.getJob(member.id)).toBeUndefined();
    }
  });
});
