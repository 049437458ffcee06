import { INestApplication } from '@nestjs/common';
import { SubmissionUpdates } from '@verdict/submissions';
import { startApi } from '../apps/api/src/api.bootstrap';
import { EventStream, openEventStream } from './support/server-sent-events';
import { VerdictStack } from './support/verdict-stack';

/**
 * Live progress (GET /v1/submissions/:id/events, server-sent events) and the bounded wait
 * (POST ?wait=true), through the public API of real API replicas, a real worker and real Redis.
 */
const A_PLUS_B_CPP = '#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n';
const A_PLUS_B_PY = 'print(sum(map(int, input().split())))\n';
/** Quiet for a while before answering: the stream has nothing to say meanwhile. */
const SLOW_PY = 'import time\ntime.sleep(2)\nprint(sum(map(int, input().split())))\n';
const TESTS = [
  { input: '1 2\n', expectedOutput: '3\n' },
  { input: '10 20\n', expectedOutput: '30\n' },
  { input: '-5 5\n', expectedOutput: '0\n' },
];

const types = (stream: EventStream) => stream.events.map((event) => event.type);
const dataOf = (stream: EventStream, type: string) => JSON.parse(stream.events.find((event) => event.type === type)!.data);

describe('live progress and the bounded wait', () => {
  // Heartbeats every 200 ms, so a quiet stream shows them; waits long enough for any machine.
  const stack = new VerdictStack({ SSE_HEARTBEAT_MS: '200', SUBMISSION_WAIT_MAX_MS: '60000' });
  /** A second replica that applies no results: whatever it streams, the first one applied. */
  let readOnly: INestApplication;
  let readOnlyUrl: string;

  beforeAll(async () => {
    await stack.start();
    readOnly = await startApi({ ...stack.env, API_PORT: '0', RESULT_STREAM_CONSUME: 'false', RESULT_STREAM_CONSUMER: `${stack.env.RESULT_STREAM_CONSUMER}-b`, SUBMISSION_WAIT_MAX_MS: '300' });
    readOnlyUrl = (await readOnly.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await readOnly?.close();
    await stack.stop();
  });

  it('streams queued, compiling, compiled, each test, then completed with the result, and ends', async () => {
    const id = await stack.submit({ language: 'cpp', source: A_PLUS_B_CPP, tests: TESTS });
    const stream = await openEventStream(`${stack.baseUrl}/v1/submissions/${id}/events`, stack.authHeaders());
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.ended;

    expect(types(stream)).toEqual(['queued', 'compiling', 'compiled', 'test', 'test', 'test', 'completed']);
    expect(stream.events.map((event) => event.id)).toEqual(['queued', 'started', 'compiled', 'test-0', 'test-1', 'test-2', 'completed']);
    expect(stream.events.filter((event) => event.type === 'test').map((event) => JSON.parse(event.data))).toEqual([
      expect.objectContaining({ number: 1, of: 3, result: expect.objectContaining({ index: 0, verdict: 'AC', cpuTimeMs: expect.any(Number) }) }),
      expect.objectContaining({ number: 2, of: 3, result: expect.objectContaining({ index: 1, verdict: 'AC' }) }),
      expect.objectContaining({ number: 3, of: 3, result: expect.objectContaining({ index: 2, verdict: 'AC' }) }),
    ]);
    // The final event is the result exactly as GET shows it.
    expect(dataOf(stream, 'completed')).toEqual((await stack.get(`/v1/submissions/${id}`)).body);
    expect(dataOf(stream, 'completed')).toMatchObject({ status: 'completed', verdict: 'AC' });
  });

  it('a client that connects late gets the current state as the events so far; Last-Event-ID resumes after the one it names', async () => {
    const id = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    await stack.waitForResult(id);

    const late = await openEventStream(`${stack.baseUrl}/v1/submissions/${id}/events`, stack.authHeaders());
    await late.ended;
    expect(types(late)).toEqual(['queued', 'compiling', 'compiled', 'test', 'test', 'test', 'completed']); // Python is byte-compiled first

    const resumed = await openEventStream(`${stack.baseUrl}/v1/submissions/${id}/events`, { ...stack.authHeaders(), 'last-event-id': 'test-0' });
    await resumed.ended;
    expect(resumed.events.map((event) => event.id)).toEqual(['test-1', 'test-2', 'completed']);
  });

  it('a client of a replica that applies nothing still gets every event, as the other replica applies it', async () => {
    const id = await stack.submit({ language: 'python', source: SLOW_PY, tests: TESTS.slice(0, 1), limits: { wallTimeMs: 15000 } });
    const stream = await openEventStream(`${readOnlyUrl}/v1/submissions/${id}/events`, stack.authHeaders());
    await stream.ended;
    expect(types(stream)).toEqual(['queued', 'compiling', 'compiled', 'test', 'completed']);
    expect(dataOf(stream, 'completed')).toMatchObject({ verdict: 'AC' });
  });

  it('keeps a quiet stream alive with heartbeats, and forgets a client that leaves', async () => {
    const updates = stack.api.get(SubmissionUpdates);
    const id = await stack.submit({ language: 'python', source: SLOW_PY, tests: TESTS.slice(0, 1), limits: { wallTimeMs: 15000 } });
    const stream = await openEventStream(`${stack.baseUrl}/v1/submissions/${id}/events`, stack.authHeaders());
    await stream.until((s) => s.comments >= 2);
    expect(updates.followed).toBe(1);
    stream.close();
    await stream.ended;
    // The server notices at its next write (a heartbeat) at the latest.
    const deadline = Date.now() + 30000;
    while (updates.followed > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates.followed).toBe(0);
    await stack.waitForResult(id);
  });

  it('an unknown submission is a 404, before any stream starts', async () => {
    const response = await fetch(`${stack.baseUrl}/v1/submissions/0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11/events`, { headers: { accept: 'text/event-stream', ...stack.authHeaders() } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).not.toMatch(/event-stream/);
    expect(JSON.stringify(await response.json())).toMatch(/submission not found/);
  });

  describe('POST ?wait=true', () => {
    it('answers 200 with the result when it is ready within the bound', async () => {
      const response = await stack.post('/v1/submissions?wait=true', { language: 'python', source: A_PLUS_B_PY, tests: TESTS });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'completed', verdict: 'AC', testCount: 3 });
      expect(response.body).toEqual((await stack.get(`/v1/submissions/${response.body.id}`)).body);
    });

    it('answers 202 as usual when the result is not ready within the bound (300 ms on this replica)', async () => {
      const response = await fetch(`${readOnlyUrl}/v1/submissions?wait=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...stack.authHeaders() },
        body: JSON.stringify({ language: 'python', source: SLOW_PY, tests: TESTS.slice(0, 1), limits: { wallTimeMs: 15000 } }),
      });
      expect(response.status).toBe(202);
      const accepted = (await response.json()) as { id: string };
      expect(accepted).toMatchObject({ status: 'queued' });
      await stack.waitForResult(accepted.id);
    });

    it('on a batch of one: answers 200 with its results page when it is judged within the bound', async () => {
      const response = await stack.post('/v1/batches?wait=true', { label: 'one', submissions: [{ language: 'python', source: A_PLUS_B_PY, tests: TESTS }] });
      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1);
      expect(response.body.items[0]).toMatchObject({ status: 'completed', verdict: 'AC', testCount: 3 });
      const batchId = response.body.items[0].batchId;
      expect(response.body).toEqual((await stack.get(`/v1/batches/${batchId}/results`)).body);
    });

    it('on a batch of one: answers 202 as usual when it is not judged within the bound (300 ms on this replica)', async () => {
      const response = await fetch(`${readOnlyUrl}/v1/batches?wait=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...stack.authHeaders() },
        body: JSON.stringify({ submissions: [{ language: 'python', source: SLOW_PY, tests: TESTS.slice(0, 1), limits: { wallTimeMs: 15000 } }] }),
      });
      expect(response.status).toBe(202);
      const accepted = (await response.json()) as { id: string };
      expect(accepted).toMatchObject({ status: 'queued', total: 1 });
      const results = await stack.get(`/v1/batches/${accepted.id}/results`);
      await stack.waitForResult(results.body.items[0].id);
    });

    it('refuses wait=true on a batch of more than one, accepting none of it', async () => {
      const before = (await stack.get('/v1/submissions?limit=1')).body.items[0]?.id;
      const item = { language: 'python', source: A_PLUS_B_PY, tests: TESTS };
      const response = await stack.post('/v1/batches?wait=true', { submissions: [item, item] });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'wait', message: expect.stringMatching(/^wait=true takes a batch of one submission \(this one has 2\)/) }]);
      expect((await stack.get('/v1/submissions?limit=1')).body.items[0]?.id).toBe(before);
    });

    it('refuses a wait that is not true or false', async () => {
      const response = await stack.post('/v1/submissions?wait=soon', { language: 'python', source: A_PLUS_B_PY, tests: TESTS });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(/wait must be true or false/);
    });
  });
});
