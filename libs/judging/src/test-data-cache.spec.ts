import { RedisConfig, TestDataCacheConfig, WorkerConfig, loadConfig } from '@verdict/config';
import { StoredData, sha256Of } from '@verdict/contracts';
import { RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDataCache } from './test-data-cache';
import { TestDataUnavailableError } from './test-data-source';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MB = 1024 * 1024;

/** The worker's cache against real Redis, under a prefix of its own, in a fresh directory. */
describe('TestDataCache', () => {
  const env = { REDIS_URL, VERDICT_KEY_PREFIX: `unit-${randomBytes(4).toString('hex')}`, WORKER_ID: 'cache-spec' };
  const keys = new RedisKeys(loadConfig(RedisConfig, env));
  const redis = new Redis(REDIS_URL);
  let dir: string;
  const caches: TestDataCache[] = [];

  async function cacheOf(maxMb = 1): Promise<TestDataCache> {
    const cache = new TestDataCache(
      loadConfig(TestDataCacheConfig, { TEST_DATA_CACHE_DIR: dir, TEST_DATA_CACHE_MAX_MB: String(maxMb) }),
      loadConfig(RedisConfig, env),
      loadConfig(WorkerConfig, env),
    );
    caches.push(cache);
    await cache.onModuleInit();
    return cache;
  }

  async function stored(content: Buffer): Promise<StoredData> {
    const sha256 = sha256Of(content);
    await redis.set(keys.testData(sha256), content);
    return { sha256, bytes: content.length };
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verdict-cache-spec-'));
  });
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((c) => c.onApplicationShutdown()));
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    const left = await redis.keys(`${keys.prefix}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });

  it('passes inline data through', async () => {
    const cache = await cacheOf();
    expect((await cache.read({ text: 'héllo' })).toString()).toBe('héllo');
    expect(cache.stats()).toMatchObject({ hits: 0, downloads: 0 });
  });

  it('downloads a hash once, then serves it from disk', async () => {
    const cache = await cacheOf();
    const data = await stored(Buffer.from('1 2\n'));
    expect((await cache.read(data)).toString()).toBe('1 2\n');
    expect((await cache.read(data)).toString()).toBe('1 2\n');
    expect((await cache.read(data)).toString()).toBe('1 2\n');
    expect(cache.stats()).toMatchObject({ downloads: 1, hits: 2, files: 1, bytes: 4 });
    expect(await readdir(dir)).toEqual([data.sha256]);
  });

  it('downloads once for concurrent reads of one hash', async () => {
    const cache = await cacheOf(8);
    const data = await stored(randomBytes(2 * MB));
    const reads = await Promise.all(Array.from({ length: 8 }, () => cache.read(data)));
    expect(reads.every((content) => sha256Of(content) === data.sha256)).toBe(true);
    expect(cache.stats().downloads).toBe(1);
  });

  it('evicts the least recently used files to stay within its bound', async () => {
    const cache = await cacheOf(1);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => stored(randomBytes(400 * 1024))));
    await cache.read(a);
    await cache.read(b);
    await cache.read(a); // a is now more recent than b
    await cache.read(c); // 1.2 MB > 1 MB: b goes
    expect(cache.stats()).toMatchObject({ evictions: 1, files: 2, downloads: 3, hits: 1 });
    expect((await readdir(dir)).sort()).toEqual([a.sha256, c.sha256].sort());
    await cache.read(a);
    await cache.read(b); // downloaded again: it was evicted
    expect(cache.stats()).toMatchObject({ downloads: 4, hits: 2 });
  });

  it('serves data larger than the whole cache without keeping it', async () => {
    const cache = await cacheOf(1);
    const big = await stored(randomBytes(MB + 1));
    expect((await cache.read(big)).length).toBe(MB + 1);
    expect(cache.stats()).toMatchObject({ files: 0, downloads: 1 });
  });

  it('keeps what an earlier run cached, and removes half-written files', async () => {
    const data = await stored(Buffer.from('kept\n'));
    await (await cacheOf()).read(data);
    await writeFile(join(dir, '.partial-abc'), 'half');
    const restarted = await cacheOf();
    expect((await restarted.read(data)).toString()).toBe('kept\n');
    expect(restarted.stats()).toMatchObject({ downloads: 0, hits: 1 });
    expect(await readdir(dir)).toEqual([data.sha256]);
  });

  it('fetches again a file removed or damaged behind its back', async () => {
    const cache = await cacheOf();
    const data = await stored(Buffer.from('12345\n'));
    await cache.read(data);
    await unlink(join(dir, data.sha256));
    expect((await cache.read(data)).toString()).toBe('12345\n');
    await writeFile(join(dir, data.sha256), 'short');
    expect((await cache.read(data)).toString()).toBe('12345\n');
    expect(cache.stats().downloads).toBe(3);
  });

  it('says clearly when stored data is missing or corrupt, and caches neither', async () => {
    const cache = await cacheOf();
    const missing = { sha256: sha256Of(Buffer.from('gone')), bytes: 4 };
    await expect(cache.read(missing)).rejects.toThrow(TestDataUnavailableError);
    await expect(cache.read(missing)).rejects.toThrow(`stored test data ${missing.sha256} (4 bytes) is not in the store`);
    const corrupt = { sha256: sha256Of(Buffer.from('right')), bytes: 5 };
    await redis.set(keys.testData(corrupt.sha256), 'wrong');
    await expect(cache.read(corrupt)).rejects.toThrow(new RegExp(`stored test data ${corrupt.sha256} is corrupt: the store holds 5 bytes hashing to [0-9a-f]{64}`));
    expect(await readdir(dir)).toEqual([]);
  });
});
