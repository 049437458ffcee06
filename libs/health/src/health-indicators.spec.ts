import { Test } from '@nestjs/testing';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { ConfigModule, HealthConfig, RedisConfig, loadConfig } from '@verdict/config';
import { REDIS } from '@verdict/redis';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { HealthModule } from './health.module';
import { QueueConnectionsHealthIndicator } from './queue-connections.health';
import { RedisHealthIndicator } from './redis.health';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TIMEOUT_MS = 300;

/** The indicators and Terminus as HealthModule provides them, against real Redis and real BullMQ queues under a prefix of their own. */
describe('health indicators', () => {
  const prefix = `{unit-health-${randomBytes(4).toString('hex')}}`;
  const redis = new Redis(REDIS_URL);
  const { hostname, port } = new URL(REDIS_URL);
  const connection = { host: hostname, port: Number(port || 6379) };
  let queues: Queue[] = [];
  const sockets = new Set<Socket>();
  let silent: Server | undefined;

  afterEach(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    queues = [];
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  /** HealthModule as an app imports it, with `queues` among the app's providers (as BullModule.registerQueue makes them). */
  async function app() {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ load: [RedisConfig, HealthConfig], env: { REDIS_URL, READINESS_CHECK_TIMEOUT_MS: String(TIMEOUT_MS) } }), HealthModule],
      providers: queues.map((queue, index) => ({ provide: `queue-${index}`, useValue: queue })),
    }).compile();
    // Terminus logs each failed check: the failures here are the point.
    moduleRef.useLogger(false);
    return moduleRef;
  }

  /** Closes a connection for good, as a connection to a Redis that went away stands. */
  async function closed(client: Redis): Promise<void> {
    const ended = once(client, 'end');
    client.disconnect();
    await ended;
  }

  /** A TCP server that accepts connections and never answers: a Redis that hangs. */
  async function silentServer(): Promise<number> {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    return (silent.address() as AddressInfo).port;
  }

  it('Redis: up while the connection answers PING; down, with the reason, once it does not', async () => {
    const moduleRef = await app();
    const indicator = moduleRef.get(RedisHealthIndicator);
    expect((await indicator.isReachable()).redis.status).toBe('up');
    await closed(moduleRef.get<Redis>(REDIS));
    const down = (await indicator.isReachable()).redis;
    expect(down.status).toBe('down');
    expect(down).toMatchObject({ message: expect.stringMatching(/Connection is closed|writeable/i) });
    await moduleRef.close();
  });

  it('Redis: a server that accepts the PING and never answers is down after READINESS_CHECK_TIMEOUT_MS, not waited for', async () => {
    const port = await silentServer();
    // A connection whose PING waits for an answer that never comes (RedisModule's own would not start against this server).
    const hanging = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: true, maxRetriesPerRequest: null });
    hanging.on('error', () => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [{ provide: REDIS, useValue: hanging }, { provide: HealthConfig, useValue: loadConfig(HealthConfig, { READINESS_CHECK_TIMEOUT_MS: String(TIMEOUT_MS) }) }, RedisHealthIndicator],
    }).compile();
    const down = (await moduleRef.get(RedisHealthIndicator).isReachable()).redis;
    expect(down).toMatchObject({ status: 'down', message: expect.stringMatching(/time/i) });
    hanging.disconnect();
    await moduleRef.close();
  });

  it('queues: up naming every queue while each connection is ready; down naming the queue whose connection is not', async () => {
    queues = [new Queue('alpha', { connection, prefix }), new Queue('beta', { connection, prefix }), new Queue('beta', { connection, prefix })];
    const moduleRef = await app();
    const indicator = moduleRef.get(QueueConnectionsHealthIndicator);
    expect((await indicator.areReady()).bullmq).toMatchObject({ status: 'up', queues: ['alpha', 'beta'] });

    // The second "beta": a module's own Queue, as each module that registers a queue gets.
    // BullMQ types its client as an interface; it is an ioredis connection.
    await closed((await queues[2].client) as unknown as Redis);
    const down = (await indicator.areReady()).bullmq;
    expect(down.status).toBe('down');
    expect(down).toMatchObject({ message: 'BullMQ connection not ready: beta (end)' });
    await moduleRef.close();
  });

  it('HealthCheckService over both: ok, then a 503 whose body names the failing check', async () => {
    queues = [new Queue('alpha', { connection, prefix })];
    const moduleRef = await app();
    const health = moduleRef.get(HealthCheckService);
    const redisCheck = moduleRef.get(RedisHealthIndicator);
    const queueCheck = moduleRef.get(QueueConnectionsHealthIndicator);
    const checks = [() => redisCheck.isReachable(), () => queueCheck.areReady()];
    expect(await health.check(checks)).toMatchObject({ status: 'ok', details: { redis: { status: 'up' }, bullmq: { status: 'up' } } });

    await closed(moduleRef.get<Redis>(REDIS));
    const failure = await health.check(checks).then(
      () => null,
      (error: { getStatus(): number; getResponse(): unknown }) => ({ status: error.getStatus(), body: error.getResponse() }),
    );
    expect(failure).toMatchObject({ status: 503, body: { status: 'error', error: { redis: { status: 'down' } }, info: { bullmq: { status: 'up' } } } });
    await moduleRef.close();
  });
});
