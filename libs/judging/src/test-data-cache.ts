import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ByteStream, CHUNK_BYTES, chunksOf } from '@verdict/checkers';
import { RedisConfig, TestDataCacheConfig, WorkerConfig } from '@verdict/config';
import { SHA256_PATTERN, StoredData, TestData, isStoredData, sha256Of } from '@verdict/contracts';
import { RedisKeys, redisOptionsFromUrl } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { FileHandle, mkdir, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDataSource, TestDataUnavailableError } from './test-data-source';

/** What the cache has done since the worker started (tests and logs read these). */
export interface TestDataCacheStats {
  /** Reads served from disk. */
  hits: number;
  /** Reads that fetched from Redis (concurrent reads of one hash share a download). */
  downloads: number;
  downloadedBytes: number;
  evictions: number;
  files: number;
  bytes: number;
}

const TEMP_PREFIX = '.partial-';

/**
 * The worker's TestDataSource: inline data as it is; stored data fetched from Redis by its SHA-256 on
 * first use, checked against the hash, and kept on local disk for the next submission, within
 * TEST_DATA_CACHE_MAX_MB (least recently used files go first). Files appear only complete (written
 * aside, then renamed), concurrent reads of one hash download it once, and a file removed behind the
 * cache's back is simply fetched again. Its own Redis connection, so that a 50 MB download does not
 * hold up the worker's other commands.
 */
@Injectable()
export class TestDataCache implements TestDataSource, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TestDataCache.name);
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly keys: RedisKeys;
  private readonly redis: Redis;
  /** Cached files by hash with their size, least recently used first (Map keeps insertion order). */
  private readonly entries = new Map<string, number>();
  private readonly downloading = new Map<string, Promise<Buffer>>();
  private totalBytes = 0;
  private ready: Promise<void> | null = null;
  private readonly counters = { hits: 0, downloads: 0, downloadedBytes: 0, evictions: 0 };

  constructor(config: TestDataCacheConfig, redisConfig: RedisConfig, worker: WorkerConfig) {
    this.dir = config.TEST_DATA_CACHE_DIR || join(tmpdir(), 'verdict-test-data', worker.WORKER_ID);
    this.maxBytes = config.TEST_DATA_CACHE_MAX_MB * 1024 * 1024;
    this.keys = new RedisKeys(redisConfig);
    this.redis = new Redis({ ...redisOptionsFromUrl(redisConfig.REDIS_URL), lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined); // reconnects on its own; a failed download reports the error
  }

  onModuleInit(): Promise<void> {
    return this.open();
  }

  async onApplicationShutdown(): Promise<void> {
    // Never connected (nothing was downloaded): there is nothing to quit, and quit would connect first.
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }

  stats(): TestDataCacheStats {
    return { ...this.counters, files: this.entries.size, bytes: this.totalBytes };
  }

  get directory(): string {
    return this.dir;
  }

  async read(data: TestData): Promise<Buffer> {
    if (!isStoredData(data)) return Buffer.from(data.text, 'utf8');
    const cached = await this.openCached(data);
    if (!cached) return this.downloadOnce(data);
    try {
      return await cached.readFile();
    } finally {
      await cached.close();
    }
  }

  /** As read(), a chunk at a time: a cached file is streamed from disk, never held whole. */
  async *stream(data: TestData): ByteStream {
    if (!isStoredData(data)) {
      yield* chunksOf(Buffer.from(data.text, 'utf8'));
      return;
    }
    const cached = await this.openCached(data);
    // The stream closes the file when it ends, fails, or its reader stops early.
    if (cached) yield* cached.createReadStream({ highWaterMark: CHUNK_BYTES });
    else yield* chunksOf(await this.downloadOnce(data));
  }

  /** Concurrent reads of one hash share a download. */
  private downloadOnce(data: StoredData): Promise<Buffer> {
    let download = this.downloading.get(data.sha256);
    if (!download) {
      download = this.download(data).finally(() => this.downloading.delete(data.sha256));
      this.downloading.set(data.sha256, download);
    }
    return download;
  }

  /** Indexes what an earlier run of this worker left (oldest first) and removes half-written files. */
  private open(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      const found: { sha: string; bytes: number; used: number }[] = [];
      for (const name of await readdir(this.dir)) {
        if (name.startsWith(TEMP_PREFIX)) await unlink(join(this.dir, name)).catch(() => undefined);
        else if (SHA256_PATTERN.test(name)) {
          const info = await stat(join(this.dir, name)).catch(() => null);
          if (info?.isFile()) found.push({ sha: name, bytes: info.size, used: info.mtimeMs });
        }
      }
      for (const file of found.sort((a, b) => a.used - b.used)) this.remember(file.sha, file.bytes);
      await this.evict();
      if (found.length > 0) this.logger.log(`test data cache ${this.dir}: ${found.length} files, ${(this.totalBytes / 1024 / 1024).toFixed(1)} MB from an earlier run`);
    })();
    return this.ready;
  }

  /**
   * The cached file, open, or null when it is not cached, gone, or not what it should be (it is then
   * fetched again). Open before anything else: eviction may unlink it, and an open file stays readable.
   */
  private async openCached(data: StoredData): Promise<FileHandle | null> {
    if (!SHA256_PATTERN.test(data.sha256)) throw new TestDataUnavailableError(`stored test data "${data.sha256}" is not a SHA-256`);
    await this.open();
    if (!this.entries.has(data.sha256)) return null;
    let file: FileHandle;
    try {
      file = await open(this.pathOf(data.sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.forget(data.sha256);
      return null;
    }
    const { size } = await file.stat().catch(async (error: unknown) => {
      await file.close();
      throw error;
    });
    if (size === data.bytes) {
      this.remember(data.sha256, size);
      this.counters.hits += 1;
      return file;
    }
    await file.close();
    await unlink(this.pathOf(data.sha256)).catch(() => undefined);
    this.forget(data.sha256);
    return null;
  }

  private async download(data: StoredData): Promise<Buffer> {
    const content = await this.redis.getBuffer(this.keys.testData(data.sha256));
    this.counters.downloads += 1;
    if (content === null) {
      throw new TestDataUnavailableError(
        `stored test data ${data.sha256} (${data.bytes} bytes) is not in the store: its problem may have been deleted, or Redis lost it`,
      );
    }
    this.counters.downloadedBytes += content.length;
    const actual = sha256Of(content);
    if (actual !== data.sha256 || content.length !== data.bytes) {
      throw new TestDataUnavailableError(
        `stored test data ${data.sha256} is corrupt: the store holds ${content.length} bytes hashing to ${actual} (expected ${data.bytes} bytes)`,
      );
    }
    // Larger than the whole cache: serve it without keeping it.
    if (content.length > this.maxBytes) return content;
    const partial = join(this.dir, `${TEMP_PREFIX}${data.sha256}-${randomBytes(4).toString('hex')}`);
    try {
      await writeFile(partial, content);
      await rename(partial, this.pathOf(data.sha256));
      this.remember(data.sha256, content.length);
      await this.evict(data.sha256);
    } catch (error) {
      // A full or read-only disk costs the cache, not the submission.
      await unlink(partial).catch(() => undefined);
      this.logger.warn(`test data ${data.sha256} not cached: ${(error as Error).message}`);
    }
    return content;
  }

  private remember(sha: string, bytes: number): void {
    this.forget(sha);
    this.entries.set(sha, bytes);
    this.totalBytes += bytes;
  }

  private forget(sha: string): void {
    const bytes = this.entries.get(sha);
    if (bytes === undefined) return;
    this.entries.delete(sha);
    this.totalBytes -= bytes;
  }

  /** Removes least recently used files until the cache fits, never `keep` (just written for a reader). */
  private async evict(keep?: string): Promise<void> {
    for (const [sha] of this.entries) {
      if (this.totalBytes <= this.maxBytes) return;
      if (sha === keep) continue;
      this.forget(sha);
      this.counters.evictions += 1;
      // A judge reading it right now keeps its open file; a later reader downloads it again.
      await unlink(this.pathOf(sha)).catch(() => undefined);
    }
  }

  private pathOf(sha: string): string {
    return join(this.dir, sha);
  }
}
