import { WebhookDeliveryConfig, loadConfig } from '@verdict/config';
import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { CallbackHttpClient, CallbackOutcome, parseRetryAfter } from './callback-http-client';
import { FullBacklogListener } from './full-backlog-listener.spec-support';
import { systemResolver } from './guarded-lookup';

/**
 * The client against a real HTTP server on this machine's loopback (allowed by the allowlist, or
 * not). Every address tried here is this machine's; the other ranges are guardedLookup's spec.
 */
describe('CallbackHttpClient', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;
  let requests: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer: (request: http.IncomingMessage, response: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ url: request.url!, headers: request.headers, body });
        answer(request, response);
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    connections = 0;
    requests = [];
    answer = (_request, response) => response.end('ok');
  });

  const client = (env: Record<string, string> = {}) =>
    new CallbackHttpClient(loadConfig(WebhookDeliveryConfig, { WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32', WEBHOOK_RESPONSE_BODY_MAX_BYTES: '16', ...env }), systemResolver);
  const post = (url: string, env?: Record<string, string>, signal = new AbortController().signal): Promise<CallbackOutcome> =>
    client(env).post(url, { 'webhook-id': 'msg_x_1' }, '{"a":1}', signal);

  it('POSTs the body as JSON with the headers given, and reports the answer', async () => {
    answer = (_request, response) => response.writeHead(202).end('accepted');
    const outcome = await post(`http://127.0.0.1:${port}/hooks?x=1`);
    expect(outcome).toEqual({ kind: 'answered', response: { statusCode: 202, body: 'accepted', bodyTruncated: false, retryAfterMs: null } });
    expect(requests).toEqual([{ url: '/hooks?x=1', headers: expect.objectContaining({ 'webhook-id': 'msg_x_1', 'content-type': 'application/json' }), body: '{"a":1}' }]);
  });

  it('keeps only the start of a long answer', async () => {
    answer = (_request, response) => response.writeHead(500).end('x'.repeat(100_000));
    const outcome = await post(`http://127.0.0.1:${port}/`);
    expect(outcome).toEqual({ kind: 'answered', response: { statusCode: 500, body: 'x'.repeat(16), bodyTruncated: true, retryAfterMs: null } });
  });

  it('reads Retry-After', async () => {
    answer = (_request, response) => response.writeHead(429, { 'retry-after': '7' }).end();
    const outcome = await post(`http://127.0.0.1:${port}/`);
    expect(outcome).toMatchObject({ kind: 'answered', response: { statusCode: 429, retryAfterMs: 7000 } });
  });

  it('does not follow a redirect', async () => {
    answer = (request, response) => response.writeHead(307, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
    const outcome = await post(`http://127.0.0.1:${port}/first`);
    expect(outcome).toMatchObject({ kind: 'answered', response: { statusCode: 307 } });
    expect(requests.map((r) => r.url)).toEqual(['/first']);
  });

  it('refuses a loopback address, literal or by name, before connecting, when the allowlist does not name it', async () => {
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      const outcome = await post(url, { WEBHOOK_ALLOWED_CIDRS: '' });
      expect(outcome).toMatchObject({ kind: 'refused', error: expect.stringMatching(/is a (loopback|IPv4-mapped IPv6) address/) });
    }
    expect(connections).toBe(0);
    expect(requests).toEqual([]);
  });

  it('reports a refused connection as unreachable (worth another try)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await post(`http://127.0.0.1:${closedPort}/`);
    expect(outcome).toMatchObject({ kind: 'unreachable', error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('gives up on a receiver that does not answer within WEBHOOK_TIMEOUT_MS', async () => {
    answer = () => undefined;
    const outcome = await post(`http://127.0.0.1:${port}/`, { WEBHOOK_TIMEOUT_MS: '200' });
    expect(outcome).toEqual({ kind: 'unreachable', error: 'no complete answer within 200 ms (WEBHOOK_TIMEOUT_MS)' });
  });

  describe('timeouts', () => {
    /** A TCP server that takes every connection and never reads, writes or closes one: no HTTP, no TLS. */
    let silent: net.Server;
    let silentPort: number;
    const held: net.Socket[] = [];
    const backlogFull = new FullBacklogListener();

    beforeAll(async () => {
      silent = net.createServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentPort = (silent.address() as AddressInfo).port;
      await backlogFull.start();
    });
    afterAll(async () => {
      for (const socket of held.splice(0)) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await backlogFull.stop();
    });

    it('gives up on a receiver whose TCP connection is never established within WEBHOOK_CONNECT_TIMEOUT_MS: unreachable, worth another try', async () => {
      // Its accept queue full, the kernel drops the SYNs: neither connected nor refused. The total
      // timeout is far off, so only the connect timeout can end the try.
      const outcome = await post(backlogFull.url('/hook'), { WEBHOOK_CONNECT_TIMEOUT_MS: '200', WEBHOOK_TIMEOUT_MS: '600000' });
      expect(outcome).toEqual({ kind: 'unreachable', error: 'no connection within 200 ms (WEBHOOK_CONNECT_TIMEOUT_MS)' });
    });

    it('counts an https connection as made only once TLS is up: a handshake never answered is a connect timeout', async () => {
      const outcome = await post(`https://127.0.0.1:${silentPort}/hook`, { WEBHOOK_CONNECT_TIMEOUT_MS: '200', WEBHOOK_TIMEOUT_MS: '600000' });
      expect(outcome).toEqual({ kind: 'unreachable', error: 'no connection within 200 ms (WEBHOOK_CONNECT_TIMEOUT_MS)' });
      expect(held.length).toBeGreaterThan(0);
    });

    it('gives up on a receiver that takes the connection and never answers at WEBHOOK_TIMEOUT_MS: the connect timeout ended with the connection', async () => {
      const before = held.length;
      const outcome = await post(`http://127.0.0.1:${silentPort}/hook`, { WEBHOOK_CONNECT_TIMEOUT_MS: '1500', WEBHOOK_TIMEOUT_MS: '3000' });
      expect(outcome).toEqual({ kind: 'unreachable', error: 'no complete answer within 3000 ms (WEBHOOK_TIMEOUT_MS)' });
      expect(held.length).toBe(before + 1);
    });
  });

  it('stops when interrupted', async () => {
    answer = () => undefined;
    const controller = new AbortController();
    const outcome = post(`http://127.0.0.1:${port}/`, {}, controller.signal);
    while (requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await outcome).toEqual({ kind: 'interrupted' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what is absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
