import { INestApplicationContext } from '@nestjs/common';
import { SubmissionView } from '@verdict/contracts';
import { WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { SubmissionDeliveries, WebhookDeliveryView } from '@verdict/webhooks';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { startWebhookDeliverer } from '../apps/api/src/webhook-deliverer.bootstrap';
import { FullBacklogListener } from '../libs/webhooks/src/full-backlog-listener.spec-support';
import { builtInCatalogFiles, removeCatalogFiles } from './support/language-catalogs';
import { REDIS_URL, VerdictStack } from './support/verdict-stack';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhook result callbacks, end to end: real API, worker and Redis, a real HTTP receiver on this
 * machine that verifies every signature with the `standardwebhooks` library. The schedule of
 * retries is one of milliseconds and seconds; only lower bounds of waits are asserted.
 */
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const ECHO_PY = 'import sys\ndata = sys.stdin.read()\nprint(data, end="")\nprint("read:", data, file=sys.stderr)\n';
const hex = () => randomBytes(6).toString('hex');

/** Python only: the worker's start-up self-tests judge one language, not seven. */
const catalog = builtInCatalogFiles(['python']);
afterAll(() => removeCatalogFiles(catalog));

const echoSubmission = (callbackUrl: string, input = 'hello\n') => ({ language: 'python', source: ECHO_PY, tests: [{ input, expectedOutput: input }], callbackUrl });
const eventIdOf = (submissionId: string) => `msg_${submissionId}_1`;

/** Polls the deliveries listing until `done` holds for the submission's (only) delivery. */
async function deliveryOf(stack: VerdictStack, submissionId: string, done: (delivery: WebhookDeliveryView) => boolean, timeoutMs = 60000): Promise<WebhookDeliveryView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await stack.get(`/v1/submissions/${submissionId}/deliveries`);
    if (status !== 200) throw new Error(`GET deliveries of ${submissionId}: ${status} ${JSON.stringify(body)}`);
    const delivery = (body as SubmissionDeliveries).deliveries[0];
    if (delivery && done(delivery)) return delivery;
    if (Date.now() > deadline) throw new Error(`delivery of ${submissionId} not as expected after ${timeoutMs} ms: ${JSON.stringify(delivery)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ended = (delivery: WebhookDeliveryView) => delivery.state !== 'pending';

/** BullMQ's connection options for this machine's Redis. */
function bullConnection() {
  const { hostname, port } = new URL(REDIS_URL);
  return { host: hostname, port: Number(port || 6379), maxRetriesPerRequest: null };
}

/** The state of a delivery's job in the queue (BullMQ), by its event id and run. */
async function jobState(stack: VerdictStack, eventId: string, run = 0): Promise<string> {
  const queue = new Queue(WEBHOOK_DELIVERY_QUEUE.name, { connection: bullConnection(), prefix: stack.prefix });
  try {
    return await queue.getJobState(`${eventId}-${run}`);
  } finally {
    await queue.close();
  }
}

/** Polls until the delivery's job is in `state`. */
async function untilJobState(stack: VerdictStack, eventId: string, state: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let seen = await jobState(stack, eventId); seen !== state; seen = await jobState(stack, eventId)) {
    if (Date.now() > deadline) throw new Error(`the delivery job of ${eventId} is ${seen}, not ${state}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks delivered by the API process (WEBHOOK_DELIVERY_MODE=api, the default)', () => {
  const receiver = new WebhookReceiver(SECRET);
  const stack = new VerdictStack({
    ...catalog,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    // Four tries in all; the last wait is the longest a Retry-After may ask for.
    WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,3s',
  });

  beforeAll(async () => {
    await receiver.start();
    await stack.start();
    // The stack's tenant submits: its own webhook secret signs.
    receiver.secret = await stack.webhookSecret();
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.answer = () => ({ status: 204 });
  });

  it('POSTs submission.completed once, signed the Standard Webhooks way, with the result GET shows and the submission\'s traceparent', async () => {
    const id = await stack.submit(echoSubmission(receiver.url('/verdicts')));
    const delivery = await deliveryOf(stack, id, ended);
    const view = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;

    const [webhook, ...more] = receiver.receivedFor(eventIdOf(id));
    expect(more).toEqual([]);
    expect(webhook.path).toBe('/verdicts');
    expect(webhook.verificationError).toBeNull();
    expect(webhook.payload).toEqual({ type: 'submission.completed', timestamp: view.finishedAt, data: view });
    expect(view).toMatchObject({ status: 'completed', verdict: 'AC' });
    expect(webhook.headers['content-type']).toBe('application/json');
    expect(webhook.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(webhook.headers.traceparent).toMatch(new RegExp(`^00-${view.traceId}-[0-9a-f]{16}-01$`));

    expect(delivery).toMatchObject({ eventId: eventIdOf(id), type: 'submission.completed', url: receiver.url('/verdicts'), state: 'delivered', redeliveries: 0 });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attempt: 1, run: 0, statusCode: 204, error: null, responseBody: '', responseBodyTruncated: false, state: 'delivered', nextAttemptAt: null }),
    ]);
    expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it("a batch's callback gets one batch.completed, signed, with the batch's counts as GET shows them, once every member is final", async () => {
    const batch = await stack.post('/v1/batches', {
      label: 'webhook batch',
      callbackUrl: receiver.url('/batches'),
      submissions: [echoSubmission(receiver.url('/members'), 'a\n'), { language: 'python', source: 'print("wrong")\n', tests: [{ input: '', expectedOutput: 'right\n' }] }],
    });
    expect(batch.status).toBe(202);
    const eventId = `msg_batch_${batch.body.id}`;
    await receiver.until(() => receiver.receivedFor(eventId).length > 0);
    const [webhook, ...more] = receiver.receivedFor(eventId);
    expect(more).toEqual([]);
    expect(webhook.path).toBe('/batches');
    expect(webhook.verificationError).toBeNull();
    const view = (await stack.get(`/v1/batches/${batch.body.id}`)).body;
    expect(webhook.payload).toEqual({ type: 'batch.completed', timestamp: view.finishedAt, data: view });
    expect(view).toMatchObject({ total: 2, finished: 2, verdicts: { AC: 1, WA: 1 } });
    // A member with a callback of its own still gets its submission.completed there.
    expect(receiver.received.filter((r) => r.path === '/members').map((r) => (r.payload as { type: string }).type)).toEqual(['submission.completed']);
  });

  it('refuses a callbackUrl that is not an http(s) URL, or carries credentials', async () => {
    for (const callbackUrl of ['ftp://127.0.0.1/x', 'not a url', 'http://user:pass@127.0.0.1/']) {
      const response = await stack.post('/v1/submissions', echoSubmission(callbackUrl));
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('callbackUrl must be an http:// or https:// URL without credentials');
    }
  });

  it('a 4xx (other than 408 and 429) ends the delivery at once: one try, failed, nothing scheduled', async () => {
    receiver.answer = () => ({ status: 410, body: 'this endpoint is gone' });
    const id = await stack.submit(echoSubmission(receiver.url('/gone')));
    const delivery = await deliveryOf(stack, id, ended);
    expect(delivery.state).toBe('failed');
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 410, responseBody: 'this endpoint is gone', state: 'failed', error: 'HTTP 410: the receiver refused the event', nextAttemptAt: null }),
    ]);
    expect(await jobState(stack, eventIdOf(id))).toBe('failed');
    expect(receiver.receivedFor(eventIdOf(id))).toHaveLength(1);
  });

  it('a 429 is tried again, not before its Retry-After', async () => {
    receiver.answer = (request) => (receiver.receivedFor(request.headers['webhook-id'] as string).length === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 });
    const id = await stack.submit(echoSubmission(receiver.url('/busy')));
    const delivery = await deliveryOf(stack, id, ended);
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.state])).toEqual([
      [1, 429, 'pending'],
      [2, 200, 'delivered'],
    ]);
    const [first, second] = receiver.receivedFor(eventIdOf(id));
    expect(second.at - first.at).toBeGreaterThanOrEqual(2000);
    expect(Date.parse(delivery.attempts[0].nextAttemptAt!) - Date.parse(delivery.attempts[0].startedAt)).toBeGreaterThanOrEqual(2000);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
  });

  it('dead-letters a delivery after the last try of the schedule, recording each answer (cut short), then redelivers it on request, now, under the same event id', async () => {
    receiver.answer = () => ({ status: 503, body: 'x'.repeat(5000) });
    const id = await stack.submit(echoSubmission(receiver.url('/down')));
    const eventId = eventIdOf(id);
    const deadLettered = await deliveryOf(stack, id, ended);
    expect(deadLettered.state).toBe('dead-lettered');
    expect(deadLettered.attempts.map((a) => [a.attempt, a.run, a.statusCode, a.state])).toEqual([
      [1, 0, 503, 'pending'],
      [2, 0, 503, 'pending'],
      [3, 0, 503, 'pending'],
      [4, 0, 503, 'dead-lettered'],
    ]);
    expect(deadLettered.attempts[3].error).toBe('HTTP 503; no tries left (4 made)');
    for (const attempt of deadLettered.attempts) expect(attempt).toMatchObject({ responseBody: 'x'.repeat(2048), responseBodyTruncated: true });
    expect(await jobState(stack, eventId)).toBe('failed');
    expect(receiver.receivedFor(eventId)).toHaveLength(4);

    // The receiver is fixed, and holds what it gets until the test lets it answer.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    receiver.answer = async () => {
      await held;
      return { status: 200 };
    };
    const redelivery = await stack.post(`/v1/submissions/${id}/deliveries/redeliver`, {});
    expect({ status: redelivery.status, body: redelivery.body }).toEqual({ status: 202, body: { eventId, run: 1, state: 'pending' } });
    await receiver.until(() => receiver.receivedFor(eventId).length === 5);
    // Asked again while the first redelivery's try is in flight: a new run replaces it, and sends too.
    const again = await stack.post(`/v1/submissions/${id}/deliveries/redeliver`, {});
    expect({ status: again.status, body: again.body }).toEqual({ status: 202, body: { eventId, run: 2, state: 'pending' } });
    await receiver.until(() => receiver.receivedFor(eventId).length === 6);
    release();

    const redelivered = await deliveryOf(stack, id, ended);
    expect(redelivered).toMatchObject({ state: 'delivered', redeliveries: 2 });
    expect(redelivered.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(redelivered.attempts.slice(4).map((a) => [a.run, a.statusCode]).sort()).toEqual([
      [1, 200],
      [2, 200],
    ]);
    const received = receiver.receivedFor(eventId);
    expect(received).toHaveLength(6);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(received.every((r) => r.verificationError === null)).toBe(true);
  });

  it('answers 404 for an unknown submission, and 409 for a redelivery of a submission without a webhook event', async () => {
    const unknown = '0c8a4f5e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
    expect((await stack.get(`/v1/submissions/${unknown}/deliveries`)).status).toBe(404);
    expect((await stack.post(`/v1/submissions/${unknown}/deliveries/redeliver`, {})).status).toBe(404);
    expect((await stack.get('/v1/submissions/not-an-id/deliveries')).status).toBe(404);

    const quiet = (await stack.judge({ language: 'python', source: ECHO_PY, tests: [{ input: 'a\n', expectedOutput: 'a\n' }] })).id;
    expect((await stack.get(`/v1/submissions/${quiet}/deliveries`)).body).toEqual({ submissionId: quiet, deliveries: [] });
    const redelivery = await stack.post(`/v1/submissions/${quiet}/deliveries/redeliver`, {});
    expect(redelivery.status).toBe(409);
    expect(JSON.stringify(redelivery.body)).toContain('has no webhook event to redeliver');
  });

  describe('hidden tests stay hidden in webhook bodies, as on GET', () => {
    const HIDDEN_INPUT = `hidden-input-${hex()}`;
    const HIDDEN_ANSWER = `hidden-answer-${hex()}`;
    const problem = (id: string, feedback: string) => ({
      id,
      title: id,
      feedback,
      tests: [
        { name: 'sample', input: 'tests/sample.in', output: 'tests/sample.out', sample: true },
        { name: '1', input: 'tests/1.in', output: 'tests/1.out' },
      ],
      files: { 'tests/sample.in': 'sample\n', 'tests/sample.out': 'sample\n', 'tests/1.in': `${HIDDEN_INPUT}\n`, 'tests/1.out': `${HIDDEN_ANSWER}\n` },
    });

    it.each(['tests', 'summary'])('feedback %s: the body is the public view, with no hidden input or answer in any field', async (feedback) => {
      const problemId = `webhook-${feedback}-${hex()}`;
      const created = await stack.post('/v1/problems', problem(problemId, feedback));
      expect(created.status).toBe(201);
      const id = await stack.submit({ problemId, language: 'python', source: ECHO_PY, callbackUrl: receiver.url('/secrets') });
      await deliveryOf(stack, id, ended);
      const [webhook] = receiver.receivedFor(eventIdOf(id));
      const view = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
      expect(view).toMatchObject({ status: 'completed', verdict: 'WA', feedback: { level: feedback, hiddenTests: 1 } });
      expect(webhook.payload.data).toEqual(view);
      expect(webhook.body).not.toContain(HIDDEN_INPUT);
      expect(webhook.body).not.toContain(HIDDEN_ANSWER);
      // What GET would show of the sample is there: the filter is the feedback level, not a blanket cut.
      expect(webhook.payload.data.tests[0]).toMatchObject({ name: 'sample', stdout: 'sample\n' });
    });
  });
});

describe('a webhook deliverer of its own (WEBHOOK_DELIVERY_MODE=separate), restarted mid-retry, the receiver down, then up', () => {
  const receiver = new WebhookReceiver(SECRET);
  const deliverers: INestApplicationContext[] = [];
  const stack = new VerdictStack({
    ...catalog,
    WEBHOOK_DELIVERY_MODE: 'separate',
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    // Twenty tries, about 20 s: more than the receiver stays down here, however slow the machine.
    WEBHOOK_RETRY_SCHEDULE: ['200ms', '500ms', ...Array(18).fill('1s')].join(','),
    // The API's sweep of pending deliveries whose job was lost.
    WEBHOOK_RECONCILE_INTERVAL_MS: '250',
  });

  async function startDeliverer(overrides: NodeJS.ProcessEnv = {}): Promise<INestApplicationContext> {
    const deliverer = await startWebhookDeliverer({ ...stack.env, ...overrides });
    deliverers.push(deliverer);
    return deliverer;
  }
  async function stopDeliverer(deliverer: INestApplicationContext): Promise<void> {
    deliverers.splice(deliverers.indexOf(deliverer), 1);
    await deliverer.close();
  }
  async function stopDeliverers(): Promise<void> {
    for (const deliverer of [...deliverers]) await stopDeliverer(deliverer);
  }
  async function deliveringWorkers(): Promise<number> {
    const queue = new Queue(WEBHOOK_DELIVERY_QUEUE.name, { connection: bullConnection(), prefix: stack.prefix });
    try {
      return (await queue.getWorkers()).length;
    } finally {
      await queue.close();
    }
  }

  beforeAll(async () => {
    await receiver.start();
    await stack.start();
    // The stack's tenant submits: its own webhook secret signs.
    receiver.secret = await stack.webhookSecret();
  });
  afterAll(async () => {
    await Promise.all(deliverers.map((deliverer) => deliverer.close()));
    await stack.stop();
    await receiver.stop();
  });

  it('every result arrives exactly once after deduplication by webhook-id, each signed, with the result GET shows', async () => {
    receiver.answer = () => ({ status: 503 });
    const first = await startDeliverer();
    const ids = await Promise.all(['a\n', 'b\n', 'c\n'].map((input) => stack.submit(echoSubmission(receiver.url('/hooks'), input))));

    // Mid-retry: every delivery has been answered 503 and waits for its next try.
    for (const id of ids) await deliveryOf(stack, id, (d) => d.attempts.some((a) => a.statusCode === 503));
    await receiver.stop();
    await stopDeliverer(first);
    // The API consumes nothing of the delivery queue in this mode: with its deliverer gone, nobody does.
    expect(await deliveringWorkers()).toBe(0);

    // A new deliverer takes the deliveries over and finds the receiver refusing connections...
    await startDeliverer();
    const triedBefore = new Map<string, number>();
    for (const id of ids) {
      const delivery = await deliveryOf(stack, id, (d) => d.attempts.some((a) => a.statusCode === null && /ECONNREFUSED/.test(a.error ?? '')));
      triedBefore.set(id, delivery.attempts.length);
    }
    // ...until it is back up.
    receiver.answer = () => ({ status: 204 });
    await receiver.start();

    for (const id of ids) {
      const delivery = await deliveryOf(stack, id, ended);
      expect(delivery.state).toBe('delivered');
      expect(delivery.attempts.length).toBeGreaterThan(triedBefore.get(id)!);
      expect(delivery.attempts.at(-1)).toMatchObject({ statusCode: 204, state: 'delivered' });
      expect(delivery.attempts.map((a) => a.attempt)).toEqual(delivery.attempts.map((_, i) => i + 1));
    }

    const verified = receiver.received.filter((r) => r.verificationError === null);
    expect(verified).toHaveLength(receiver.received.length);
    const byId = new Map<string, ReceivedWebhook>();
    for (const webhook of verified) if (webhook.payload && !byId.has(webhook.headers['webhook-id'] as string)) byId.set(webhook.headers['webhook-id'] as string, webhook);
    expect([...byId.keys()].sort()).toEqual(ids.map(eventIdOf).sort());
    for (const id of ids) {
      const view = (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
      // Every copy, whichever try it came from, is the same event.
      for (const copy of receiver.receivedFor(eventIdOf(id))) expect(copy.payload).toEqual({ type: 'submission.completed', timestamp: view.finishedAt, data: view });
      // The copies answered 503 and the one delivered: deduplication was needed.
      expect(receiver.receivedFor(eventIdOf(id)).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('refuses a callback that resolves to loopback when the allowlist is empty: failed with the reason, no connection made', async () => {
    for (const deliverer of [...deliverers]) await stopDeliverer(deliverer);
    await startDeliverer({ WEBHOOK_ALLOWED_CIDRS: '' });
    receiver.answer = () => ({ status: 204 });
    const connectionsBefore = receiver.connections;
    const url = receiver.url('/ssrf').replace('127.0.0.1', 'localhost');
    const id = await stack.submit(echoSubmission(url));
    const delivery = await deliveryOf(stack, id, ended);
    expect(delivery.state).toBe('failed');
    expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: null, responseBody: null, state: 'failed' })]);
    expect(delivery.attempts[0].error).toMatch(/^localhost refused: .*127\.0\.0\.1 is a loopback address; the judge calls public addresses only/);
    expect(receiver.connections).toBe(connectionsBefore);
    expect(receiver.receivedFor(eventIdOf(id))).toEqual([]);
  });

  it("a delivery whose job was removed from the queue is queued again by the API's reconciler, and delivered", async () => {
    await stopDeliverers();
    receiver.answer = () => ({ status: 204 });
    const id = await stack.submit(echoSubmission(receiver.url('/removed')));
    const eventId = eventIdOf(id);
    // No deliverer: the job waits, and an operator removes it (as a drain of the queue would).
    await untilJobState(stack, eventId, 'waiting');
    const queue = new Queue(WEBHOOK_DELIVERY_QUEUE.name, { connection: bullConnection(), prefix: stack.prefix });
    try {
      expect(await queue.remove(`${eventId}-0`)).toBe(1);
    } finally {
      await queue.close();
    }

    await startDeliverer();
    const delivery = await deliveryOf(stack, id, ended);
    expect(delivery).toMatchObject({ state: 'delivered', redeliveries: 0 });
    expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, run: 0, statusCode: 204, state: 'delivered' })]);
    expect(receiver.receivedFor(eventId).map((r) => r.verificationError)).toEqual([null]);
  });

  it("a delivery whose job BullMQ failed for good outside DeliverWebhook (stalled too often) gets the lost try recorded by the API's reconciler, and is delivered by the next", async () => {
    await stopDeliverers();
    receiver.answer = () => ({ status: 204 });
    const id = await stack.submit(echoSubmission(receiver.url('/stalled')));
    const eventId = eventIdOf(id);
    await untilJobState(stack, eventId, 'waiting');
    // A deliverer's worker takes the job and fails it for good, as BullMQ's worker does a job that
    // stalled more than allowed (an UnrecoverableError as it is taken, the handler never run).
    const taker = new Worker(WEBHOOK_DELIVERY_QUEUE.name, null, { connection: bullConnection(), prefix: stack.prefix, autorun: false });
    try {
      const job = (await taker.getNextJob('taker')) as Job;
      expect(job.id).toBe(`${eventId}-0`);
      await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'taker');
    } finally {
      await taker.close();
    }

    const recorded = await deliveryOf(stack, id, (d) => d.attempts.length > 0);
    expect(recorded.state).toBe('pending');
    expect(recorded.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        run: 0,
        statusCode: null,
        responseBody: null,
        state: 'pending',
        error: 'the delivery job failed in the queue, its try unrecorded (job stalled more than allowable limit)',
        nextAttemptAt: expect.any(String),
      }),
    ]);

    await startDeliverer();
    const delivered = await deliveryOf(stack, id, ended);
    expect(delivered.state).toBe('delivered');
    expect(delivered.attempts.map((a) => [a.attempt, a.statusCode, a.state])).toEqual([
      [1, null, 'pending'],
      [2, 204, 'delivered'],
    ]);
    expect(receiver.receivedFor(eventId).map((r) => r.verificationError)).toEqual([null]);
  });

  it('a receiver whose TCP connection is never established within WEBHOOK_CONNECT_TIMEOUT_MS: the try is recorded (no status, the timeout named) and tried again', async () => {
    await stopDeliverers();
    await startDeliverer({ WEBHOOK_CONNECT_TIMEOUT_MS: '1000' });
    // A port on this machine whose accept queue is full: connecting there neither succeeds nor is refused.
    const unreachable = new FullBacklogListener();
    const late = new WebhookReceiver(await stack.webhookSecret());
    await unreachable.start();
    try {
      const id = await stack.submit(echoSubmission(unreachable.url('/late')));
      const eventId = eventIdOf(id);
      const timedOut = await deliveryOf(stack, id, (d) => d.attempts.length > 0);
      expect(timedOut.state).toBe('pending');
      expect(timedOut.attempts[0]).toEqual(
        expect.objectContaining({ attempt: 1, run: 0, statusCode: null, responseBody: null, error: 'no connection within 1000 ms (WEBHOOK_CONNECT_TIMEOUT_MS)', state: 'pending', nextAttemptAt: expect.any(String) }),
      );

      // A receiver comes up on that port: a later try of the schedule delivers.
      await unreachable.stop();
      await late.start(unreachable.port);
      const delivered = await deliveryOf(stack, id, ended);
      expect(delivered.state).toBe('delivered');
      expect(delivered.attempts.at(-1)).toMatchObject({ statusCode: 204, state: 'delivered' });
      for (const attempt of delivered.attempts.slice(0, -1)) {
        expect(attempt).toMatchObject({ statusCode: null, state: 'pending', error: expect.stringMatching(/^no connection within 1000 ms \(WEBHOOK_CONNECT_TIMEOUT_MS\)$|ECONNREFUSED/) });
      }
      expect(late.receivedFor(eventId).map((r) => r.verificationError)).toEqual([null]);
    } finally {
      await unreachable.stop();
      await late.stop();
    }
  });
});
