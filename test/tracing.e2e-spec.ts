import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Jaeger, JaegerSpan } from './support/jaeger';
import { API_MAIN, AppProcess, WORKER_MAIN, freePort, until } from './support/processes';
import { REDIS_URL } from './support/verdict-stack';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * One trace per submission, from its POST to its webhook, as an operator reads it in a trace viewer:
 * the built API and worker run as real processes (so the auto-instrumentations patch http
 * and ioredis as in production) and export OTLP to a real Jaeger, whose query API the test reads the
 * trace back from. Every span named in the design exists, shares the submission's trace id and has
 * the right parent; a batch's trace links to its members' traces.
 */

const TENANT = 'traced';

describe('tracing: one OpenTelemetry trace from HTTP request to webhook', () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const adminKey = `vk_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const redis = new Redis(REDIS_URL);
  const jaeger = new Jaeger();
  const receiver = new WebhookReceiver('');
  const apps: AppProcess[] = [];
  let base = '';
  let auth: Record<string, string> = {};

  const call = async (method: string, path: string, body?: unknown, headers = auth) => {
    const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    await jaeger.start();
    await receiver.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      REDIS_URL,
      VERDICT_KEY_PREFIX: prefix,
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    // The API traces its Redis commands, as an operator turns them on (an empty list of disabled
    // instrumentations); the worker keeps the default, no span per Redis command.
    const api = new AppProcess(API_MAIN, { ...env, OTEL_NODE_DISABLED_INSTRUMENTATIONS: '', API_HOST: '127.0.0.1', API_PORT: String(port), ADMIN_API_KEY: adminKey, RESULT_STREAM_CONSUMER: `${prefix}-api`, WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32', RATE_LIMIT_REQUESTS: '100000' });
    apps.push(api);
    apps.push(new AppProcess(WORKER_MAIN, { ...env, WORKER_ID: prefix, WORKER_CONCURRENCY: '2', WORKER_HTTP_PORT: '0' }));
    await until(async () => (await fetch(`${base}/v1/health`)).ok, { child: api.child, what: () => `the API's health (${api.output})` });

    const admin = { authorization: `Bearer ${adminKey}` };
    expect((await call('POST', '/v1/admin/tenants', { id: TENANT, name: 'traced' }, admin)).status).toBe(201);
    const key = await call('POST', `/v1/admin/tenants/${TENANT}/keys`, { scopes: ['submit', 'read'] }, admin);
    auth = { authorization: `Bearer ${key.body.key}` };
    receiver.secret = (await call('GET', `/v1/admin/tenants/${TENANT}`, undefined, admin)).body.webhookSecrets[0].secret;
  }, 120000);

  afterAll(async () => {
    // SIGTERM first: the apps close their sandboxes and flush their spans.
    await Promise.all(apps.map((app) => app.stop()));
    await jaeger.stop();
    await receiver.stop();
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  /** The span's parent in the same trace, if any. */
  const parentOf = (spans: JaegerSpan[], span: JaegerSpan) => {
    const ref = span.references.find((r) => r.refType === 'CHILD_OF');
    return ref ? spans.find((s) => s.spanID === ref.spanID) : undefined;
  };
  const ancestors = (spans: JaegerSpan[], span: JaegerSpan): JaegerSpan[] => {
    const chain: JaegerSpan[] = [];
    for (let at = parentOf(spans, span); at; at = parentOf(spans, at)) chain.push(at);
    return chain;
  };
  const named = (spans: JaegerSpan[], name: string) => spans.filter((s) => s.operationName === name);

  async function result(id: string) {
    let view: any;
    await until(async () => {
      view = (await call('GET', `/v1/submissions/${id}`)).body;
      return view.status === 'completed' || view.status === 'failed';
    }, { what: () => `submission ${id} judged (is ${view?.status})`, timeoutMs: 120000 });
    return view;
  }

  it('follows a submission from its POST through the queue, the worker, the sandbox, each test and the result stream to its webhook', async () => {
    const accepted = await call('POST', '/v1/submissions', {
      language: 'python',
      source: 'print(sum(map(int, input().split())))\n',
      tests: [{ input: '314159 271828\n', expectedOutput: '585987\n' }, { input: '2 2\n', expectedOutput: '5\n' }],
      callbackUrl: receiver.url('/hook'),
    });
    expect(accepted.status).toBe(202);
    const { id, traceId } = accepted.body;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const view = await result(id);
    expect(view).toMatchObject({ status: 'completed', verdict: 'WA', traceId });
    await receiver.until((got) => got.some((r) => r.payload?.data?.id === id));
    const webhook = receiver.received.find((r) => r.payload?.data?.id === id)!;
    expect(webhook.verificationError).toBeNull();

    const spans = await jaeger.trace(traceId, (got) => named(got, 'webhook POST').length > 0 && named(got, 'process results').length >= 3 && named(got, 'run test').length === 2);
    expect(new Set(spans.map((s) => s.traceID))).toEqual(new Set([traceId]));

    // The HTTP request is the root, in the API.
    const [request] = spans.filter((s) => s.references.length === 0);
    // Named by its route, so a trace viewer groups requests by endpoint.
    expect(request).toMatchObject({ service: 'verdict-api', operationName: 'POST /v1/submissions', tags: expect.objectContaining({ 'span.kind': 'server', 'http.route': '/v1/submissions' }) });
    // enqueue: a producer span under the request.
    const [publish] = named(spans, 'publish judge');
    expect(publish).toMatchObject({ service: 'verdict-api', tags: expect.objectContaining({ 'span.kind': 'producer', 'verdict.submission.id': id }) });
    expect(ancestors(spans, publish)).toContain(request);
    // the worker's job: a consumer span continuing the producer's context carried in the job.
    const [job] = named(spans, 'process judge');
    expect(job).toMatchObject({ service: 'verdict-worker', tags: expect.objectContaining({ 'span.kind': 'consumer', 'verdict.verdict': 'WA' }) });
    expect(parentOf(spans, job)).toBe(publish);
    // sandbox, compile and one span per test, with what the test measured.
    for (const name of ['sandbox acquire', 'compile']) expect(parentOf(spans, named(spans, name)[0])).toBe(job);
    const tests = named(spans, 'run test').sort((a, b) => Number(a.tags['verdict.test.index']) - Number(b.tags['verdict.test.index']));
    expect(tests.map((t) => t.tags['verdict.test.verdict'])).toEqual(['AC', 'WA']);
    for (const test of tests) {
      expect(parentOf(spans, test)).toBe(job);
      expect(test.tags).toEqual(expect.objectContaining({ 'verdict.test.cpu_time_ms': expect.any(Number), 'verdict.test.wall_time_ms': expect.any(Number), 'verdict.test.memory_kb': expect.any(Number) }));
    }
    // results: published by the worker in the job's span, each processed by the API under its publish span.
    const published = named(spans, 'publish results');
    expect(published.length).toBeGreaterThanOrEqual(3);
    for (const p of published) expect(ancestors(spans, p)).toContain(job);
    const processed = named(spans, 'process results');
    for (const p of processed) expect(published).toContain(parentOf(spans, p));
    const final = processed.find((p) => p.tags['verdict.result.type'] === 'final')!;
    expect(final.service).toBe('verdict-api');
    // the webhook: a client span under the processing of the final result, its traceparent what the receiver got.
    const [delivery] = named(spans, 'webhook POST');
    expect(delivery.tags).toEqual(expect.objectContaining({ 'span.kind': 'client', 'http.response.status_code': 204 }));
    expect(parentOf(spans, delivery)).toBe(final);
    expect(webhook.headers.traceparent).toBe(`00-${traceId}-${delivery.spanID}-01`);

    // The API's Redis commands are in the trace, but what they carry is not: neither the source nor a
    // test reaches the trace backend. The worker, with the default, traced none of its commands.
    const redisSpans = spans.filter((s) => s.tags['db.system'] === 'redis' || s.tags['db.system.name'] === 'redis');
    expect(redisSpans.filter((s) => s.service === 'verdict-api').length).toBeGreaterThan(0);
    expect(redisSpans.filter((s) => s.service === 'verdict-worker')).toEqual([]);
    const recorded = JSON.stringify(spans.map((s) => s.tags));
    for (const secret of ['print(sum(map(int', '314159', '585987']) expect(recorded).not.toContain(secret);

    // The log lines of its state changes carry the trace and the span they were written in.
    const lines = apps.flatMap((app) => app.output.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const about = lines.filter((line) => line.submissionId === id);
    expect(about.map((line) => line.msg)).toEqual(expect.arrayContaining(['submission queued', 'submission running', 'submission completed', 'submission judged']));
    for (const line of about) expect(line).toEqual(expect.objectContaining({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) }));
  });

  it("gives a batch a trace of its own, linked to each member's trace", async () => {
    const item = { language: 'python', source: 'print(1)\n', tests: [{ input: '', expectedOutput: '1\n' }] };
    const accepted = await call('POST', '/v1/batches', { submissions: [item, item, item] });
    expect(accepted.status).toBe(202);
    const members = (await call('GET', `/v1/submissions?batch=${accepted.body.id}`)).body.items as { id: string }[];
    expect(members).toHaveLength(3);
    const memberTraces = await Promise.all(members.map(async (m) => (await result(m.id)).traceId as string));
    expect(new Set([...memberTraces, accepted.body.traceId]).size).toBe(4);

    const spans = await jaeger.trace(accepted.body.traceId, (got) => named(got, 'batch members').length > 0);
    const [publish] = named(spans, 'publish judge');
    expect(publish.tags).toEqual(expect.objectContaining({ 'span.kind': 'producer', 'messaging.batch.message_count': 3 }));
    const links = named(spans, 'batch members').flatMap((s) => s.references.filter((r) => r.refType === 'FOLLOWS_FROM'));
    expect(links.map((l) => l.traceID).sort()).toEqual([...memberTraces].sort());

    // Each member's trace: its root links back to the batch's request, and its judging continues under it.
    const member = await jaeger.trace(memberTraces[0], (got) => named(got, 'process judge').length > 0 && named(got, 'batch member').length > 0);
    const [root] = named(member, 'batch member');
    expect(root.references.filter((r) => r.refType === 'FOLLOWS_FROM').map((r) => r.traceID)).toEqual([accepted.body.traceId]);
    expect(ancestors(member, named(member, 'process judge')[0])).toContain(root);
  });

  it("starts no trace for a read, and continues the caller's trace when a read carries one", async () => {
    const caller = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    const response = await fetch(`${base}/v1/submissions`, { headers: { ...auth, traceparent: `00-${caller.traceId}-${caller.spanId}-01` } });
    expect(response.status).toBe(200);
    const [read] = named(await jaeger.trace(caller.traceId, (got) => named(got, 'GET /v1/submissions').length > 0), 'GET /v1/submissions');
    expect(read).toMatchObject({ service: 'verdict-api', operationName: 'GET /v1/submissions', references: [expect.objectContaining({ refType: 'CHILD_OF', spanID: caller.spanId })] });
    // The polls above (GET /v1/submissions/:id, without a traceparent) were answered before this
    // read, whose span has arrived: had they been traced, theirs would have too.
    expect(await jaeger.operations('verdict-api')).not.toContain('GET /v1/submissions/:id');
  });
});
