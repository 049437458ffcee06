import { Inject, Injectable } from '@nestjs/common';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';

/** A language's version as a worker read it from the runtime image (its versionCommand). */
export interface LanguageVersionReading {
  /** What the toolchain printed: the first non-empty line of its versionCommand's output. */
  version: string;
  /** The image reference it was read from, and that image's ID (the pinned one the worker verified). */
  image: string;
  imageId: string;
  checkedAt: string;
  workerId: string;
}

const FIELDS = ['version', 'image', 'imageId', 'checkedAt', 'workerId'] as const;

/**
 * The versions workers read from the images, shared through Redis: workers write them when they
 * start, the API reads them for GET /v1/languages. The latest reading of a language wins; every
 * worker of a deployment verifies the same pinned images, so readings agree.
 */
@Injectable()
export class LanguageVersions {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async publish(readings: ReadonlyMap<string, LanguageVersionReading>): Promise<void> {
    if (readings.size === 0) return;
    const fields = Object.fromEntries([...readings].map(([language, reading]) => [language, JSON.stringify(reading)]));
    await this.redis.hset(this.keys.languageVersions, fields);
  }

  /** Readings by language id; an entry that is not a reading (hand-edited, older format) is left out. */
  async read(): Promise<Map<string, LanguageVersionReading>> {
    const stored = await this.redis.hgetall(this.keys.languageVersions);
    const readings = new Map<string, LanguageVersionReading>();
    for (const [language, text] of Object.entries(stored)) {
      const reading = parseReading(text);
      if (reading) readings.set(language, reading);
    }
    return readings;
  }
}

function parseReading(text: string): LanguageVersionReading | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (!FIELDS.every((field) => typeof record[field] === 'string')) return null;
  return Object.fromEntries(FIELDS.map((field) => [field, record[field]])) as unknown as LanguageVersionReading;
}
