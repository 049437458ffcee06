import { RedisConfig, TestDataCacheConfig, WorkerConfig, loadConfig } from '@verdict/config';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Of } from '@verdict/contracts';
import { TestDataCache } from './test-data-cache';

/** Streaming from the cache's disk; the files are put there first, so no Redis is needed. */
describe('TestDataCache.stream', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:1', WORKER_ID: 'cache-stream-spec' };
  let dir: string;
  let cache: TestDataCache;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verdict-cache-stream-spec-'));
  });
  afterEach(async () => {
    await cache.onApplicationShutdown();
    await rm(dir, { recursive: true, force: true });
  });

  async function cacheHolding(content: Buffer) {
    const sha256 = sha256Of(content);
    await writeFile(join(dir, sha256), content);
    cache = new TestDataCache(
      loadConfig(TestDataCacheConfig, { TEST_DATA_CACHE_DIR: dir, TEST_DATA_CACHE_MAX_MB: '16' }),
      loadConfig(RedisConfig, env),
      loadConfig(WorkerConfig, env),
    );
    await cache.onModuleInit();
    return { sha256, bytes: content.length };
  }

  it('streams a cached file in chunks of at most 64 KiB, counting a hit', async () => {
    const content = randomBytes(200 * 1024);
    const data = await cacheHolding(content);
    const chunks: Buffer[] = [];
    for await (const chunk of cache.stream(data)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(chunks.length).toBe(4);
    expect(Math.max(...chunks.map((c) => c.length))).toBe(64 * 1024);
    expect(cache.stats()).toMatchObject({ hits: 1, downloads: 0 });
  });

  it('streams inline data, and reads the same bytes as stream', async () => {
    const data = await cacheHolding(Buffer.from('kept\n'));
    const streamed: Buffer[] = [];
    for await (const chunk of cache.stream({ text: 'héllo' })) streamed.push(chunk);
    expect(Buffer.concat(streamed).toString()).toBe('héllo');
    expect((await cache.read(data)).toString()).toBe('kept\n');
  });

  it('opens nothing until the first chunk is asked for', async () => {
    const data = await cacheHolding(Buffer.from('kept\n'));
    cache.stream(data);
    expect(cache.stats().hits).toBe(0);
  });
});
