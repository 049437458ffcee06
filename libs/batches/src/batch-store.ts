import { Inject, Injectable } from '@nestjs/common';
import { SubmissionPolicyConfig } from '@verdict/config';
import { BatchKind, Requester, canAccess } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';

/** A batch's record, as stored. */
export interface StoredBatch {
  id: string;
  kind: BatchKind;
  label: string | null;
  total: number;
  problemId: string | null;
  callbackUrl: string | null;
  /** The tenant whose key made it (its members are that tenant's); null for an admin key. */
  tenantId: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** The batch's own trace (its request's span), which its `batch.completed` webhook joins; null for batches stored before it was kept. */
  traceparent: string | null;
}

/** Ids pushed per RPUSH when members are written. */
const MEMBER_CHUNK = 1000;

/**
 * Adds a member to the batch's finished set and, once the set holds every member, records
 * finishedAt (first time only). Returns [finished count, total, finishedAt or false].
 */
const MARK_FINISHED_LUA = `
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
if not total then return nil end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
local finished = redis.call('SCARD', KEYS[2])
if finished >= total then redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[2]) end
return { finished, total, redis.call('HGET', KEYS[1], 'finishedAt') }
`;

type RedisWithBatches = Redis & { markBatchMemberFinished(batch: string, finished: string, member: string, now: string, ttl: number): Promise<[number, number, string | null] | null> };

/** Batches in Redis: a hash, the members in batch order (a list), the members seen final (a set); all kept as long as submissions are. */
@Injectable()
export class BatchStore {
  private readonly redis: RedisWithBatches;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    private readonly policy: SubmissionPolicyConfig,
  ) {
    if (!('markBatchMemberFinished' in redis)) redis.defineCommand('markBatchMemberFinished', { numberOfKeys: 2, lua: MARK_FINISHED_LUA });
    this.redis = redis as RedisWithBatches;
  }

  async create(batch: Omit<StoredBatch, 'finishedAt'>, memberIds: string[]): Promise<void> {
    const ttl = this.policy.SUBMISSION_RETENTION_SECONDS;
    const pipeline = this.redis.pipeline();
    for (let start = 0; start < memberIds.length; start += MEMBER_CHUNK) pipeline.rpush(this.keys.batchMembers(batch.id), ...memberIds.slice(start, start + MEMBER_CHUNK));
    pipeline
      .hset(this.keys.batch(batch.id), {
        id: batch.id,
        kind: batch.kind,
        total: String(batch.total),
        createdAt: batch.createdAt,
        // Nothing to wait for: finished as it is made.
        ...(batch.total === 0 ? { finishedAt: batch.createdAt } : {}),
        ...(batch.label !== null ? { label: batch.label } : {}),
        ...(batch.problemId !== null ? { problemId: batch.problemId } : {}),
        ...(batch.callbackUrl !== null ? { callbackUrl: batch.callbackUrl } : {}),
        ...(batch.tenantId !== null ? { tenantId: batch.tenantId } : {}),
        ...(batch.traceparent !== null ? { traceparent: batch.traceparent } : {}),
      })
      .expire(this.keys.batch(batch.id), ttl)
      .expire(this.keys.batchMembers(batch.id), ttl);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Undoes `create`. */
  async discard(id: string): Promise<void> {
    await this.redis.del(this.keys.batch(id), this.keys.batchMembers(id), this.keys.batchFinished(id));
  }

  /** The batch, if `requester` may see it: another tenant's is as unknown as a missing one. */
  async getFor(id: string, requester: Requester): Promise<StoredBatch | null> {
    const batch = await this.get(id);
    return batch && canAccess(requester, batch.tenantId) ? batch : null;
  }

  async get(id: string): Promise<StoredBatch | null> {
    const hash = await this.redis.hgetall(this.keys.batch(id));
    if (!hash.id) return null;
    return {
      id: hash.id,
      kind: hash.kind as BatchKind,
      label: hash.label ?? null,
      total: Number(hash.total),
      problemId: hash.problemId ?? null,
      callbackUrl: hash.callbackUrl ?? null,
      tenantId: hash.tenantId ?? null,
      createdAt: hash.createdAt,
      finishedAt: hash.finishedAt ?? null,
      traceparent: hash.traceparent ?? null,
    };
  }

  /** Member ids from `start` (0-based, batch order), at most `count`. */
  async members(id: string, start = 0, count = -1): Promise<string[]> {
    return this.redis.lrange(this.keys.batchMembers(id), start, count < 0 ? -1 : start + count - 1);
  }

  /** Records a member final (idempotent); null for an unknown batch. */
  async markFinished(batchId: string, submissionId: string): Promise<{ finished: number; total: number; finishedAt: string | null } | null> {
    const reply = await this.redis.markBatchMemberFinished(this.keys.batch(batchId), this.keys.batchFinished(batchId), submissionId, new Date().toISOString(), this.policy.SUBMISSION_RETENTION_SECONDS);
    if (!reply) return null;
    const [finished, total, finishedAt] = reply;
    return { finished: Number(finished), total: Number(total), finishedAt: finishedAt || null };
  }
}
