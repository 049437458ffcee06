import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RateLimitConfig, RedisConfig, loadConfig } from '@verdict/config';
import { MetricsRegistry, RateLimitMetrics } from '@verdict/metrics';
import { RedisKeys } from '@verdict/redis';
import { AuthenticatedRequest, Principal } from '@verdict/tenants';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { RateLimitGuard } from './rate-limit.guard';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One API replica: its own Redis connection (as the app's REDIS: no offline queue), limiter and guard. */
export interface Replica {
  redis: Redis;
  limiter: ApiKeyRateLimiter;
  guard: RateLimitGuard;
}

/**
 * The library wired by hand against real Redis under a key prefix of its own (`unit-<random>`).
 * Each `replica()` has a Redis connection of its own, standing for one API replica. `close()`
 * deletes every key under the prefix and disconnects every connection.
 */
export class RateLimitsFixture {
  readonly env: NodeJS.ProcessEnv;
  readonly keys: RedisKeys;
  readonly config: RateLimitConfig;
  /** What every replica's guard counted (verdict_rate_limited_total). */
  readonly metrics = new MetricsRegistry('api');
  /** For looking at what the limiter stored. */
  readonly inspector = new Redis(REDIS_URL);
  private readonly connections: Redis[] = [this.inspector];

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.env = { REDIS_URL, VERDICT_KEY_PREFIX: `unit-${randomBytes(4).toString('hex')}`, ...env };
    this.keys = new RedisKeys(loadConfig(RedisConfig, this.env));
    this.config = loadConfig(RateLimitConfig, this.env);
  }

  async replica(): Promise<Replica> {
    const redis = this.connection({ lazyConnect: true });
    await redis.connect();
    return this.wire(redis);
  }

  /** A replica whose Redis connection never opens: every command fails at once (the app's client while Redis is down). */
  unreachableReplica(): Replica {
    return this.wire(this.connection({ lazyConnect: true }));
  }

  /** Every key under this fixture's prefix. */
  async storedKeys(): Promise<string[]> {
    return this.inspector.keys(`${this.keys.prefix}*`);
  }

  async close(): Promise<void> {
    const left = await this.storedKeys();
    if (left.length) await this.inspector.del(...left);
    for (const redis of this.connections) redis.disconnect();
  }

  private connection(options: { lazyConnect: boolean }): Redis {
    const redis = new Redis(REDIS_URL, { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 2 });
    redis.on('error', () => undefined);
    this.connections.push(redis);
    return redis;
  }

  private wire(redis: Redis): Replica {
    const limiter = new ApiKeyRateLimiter(redis, this.keys, this.config);
    return { redis, limiter, guard: new RateLimitGuard(new Reflector(), limiter, this.config, this.metrics.group(RateLimitMetrics)) };
  }
}

/** A tenant's principal, as ApiKeyGuard attaches it. */
export function tenantPrincipal(keyId: string): Principal {
  return { tenantId: 'acme', keyId, scopes: ['submit', 'read'], isAdmin: false };
}

/** An admin's principal (no tenant). */
export function adminPrincipal(keyId: string): Principal {
  return { tenantId: null, keyId, scopes: ['admin'], isAdmin: true };
}

/** A fresh key id of the API key prefix format (8 base62 characters). */
export function newKeyId(): string {
  return randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
}

export interface FakeReply {
  headers: Record<string, string>;
  header(name: string, value: string): FakeReply;
}

/** What Nest hands a guard for a Fastify request after ApiKeyGuard: the request (with its principal, if any), the reply, the handler and its class. */
export function httpContext(controller: new () => object, handler: string, principal?: Principal) {
  const request: AuthenticatedRequest = principal ? { principal } : {};
  const reply: FakeReply = {
    headers: {},
    header(name, value) {
      reply.headers[name] = value;
      return reply;
    },
  };
  const method = (controller.prototype as Record<string, () => void>)[handler];
  const context = new ExecutionContextHost([request, reply, () => undefined], controller, method);
  context.setType('http');
  return { context: context as ExecutionContext, reply };
}

/** The error a promise rejects with (failing the spec when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
