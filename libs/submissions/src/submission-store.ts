import { Inject, Injectable } from '@nestjs/common';
import { SubmissionPolicyConfig } from '@verdict/config';
import {
  DEFAULT_FEEDBACK_LEVEL,
  Limits,
  ResultDisclosure,
  ResultEvent,
  SubmissionStatus,
  SubmissionView,
  SubtaskResult,
  TestResult,
  Verdict,
} from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { APPLY_RESULT_EVENT_LUA } from './apply-result-event.lua';
import { CompleteSubmissionView, discloseResult } from './result-disclosure';

/** What is stored when a submission is accepted. */
export interface NewSubmission {
  id: string;
  language: string;
  traceId: string;
  createdAt: string;
  limits: Limits;
  limitMultipliers: SubmissionView['limitMultipliers'];
  problem: SubmissionView['problem'];
  testCount: number;
  /** What public reads show of its results; null when everything (inline tests: the submitter wrote them). */
  disclosure: ResultDisclosure | null;
  /** The request as accepted (source, tests, checker), kept for re-judging. */
  request: unknown;
  /** Where the final result is to be sent (a webhook), if anywhere. */
  callbackUrl: string | null;
}

export type ApplyOutcome = 'applied' | 'stale' | 'missing';

/** The few fields that say whether a submission is finished, and what a result for it must carry. */
export interface SubmissionStatusSummary {
  status: SubmissionStatus;
  /** The try that last reported (running or final); null before any did. */
  attempt: number | null;
  /** Null until a final result is stored. */
  verdict: Verdict | null;
  traceId: string;
}

type RedisWithApply = Redis & {
  applyResultEvent(key: string, status: string, set: string, setIfAbsent: string, retention: number, testFieldPrefix: string): Promise<ApplyOutcome>;
};

const TEST_FIELD = 'test:';

/**
 * Submissions and their results in Redis: one hash per submission, expiring after the configured
 * retention. Result events are applied by one Lua script, so a redelivered, duplicated or late event
 * can never duplicate a test or move a submission backwards.
 */
@Injectable()
export class SubmissionStore {
  private readonly redis: RedisWithApply;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    private readonly policy: SubmissionPolicyConfig,
  ) {
    if (!('applyResultEvent' in redis)) redis.defineCommand('applyResultEvent', { numberOfKeys: 1, lua: APPLY_RESULT_EVENT_LUA });
    this.redis = redis as RedisWithApply;
  }

  /**
   * Stores a new submission. With an idempotency key, a second call with the same key stores nothing
   * and returns the id stored by the first.
   */
  async create(submission: NewSubmission, idempotencyKey?: string): Promise<{ id: string; created: boolean }> {
    const ttl = this.policy.SUBMISSION_RETENTION_SECONDS;
    if (idempotencyKey) {
      const claimed = await this.redis.set(this.keys.idempotency(idempotencyKey), submission.id, 'EX', ttl, 'NX');
      if (claimed === null) {
        const existing = await this.redis.get(this.keys.idempotency(idempotencyKey));
        if (existing) return { id: existing, created: false };
      }
    }
    const key = this.keys.submission(submission.id);
    await this.redis
      .multi()
      .hset(key, {
        id: submission.id,
        status: 'queued' satisfies SubmissionStatus,
        language: submission.language,
        traceId: submission.traceId,
        createdAt: submission.createdAt,
        limits: JSON.stringify(submission.limits),
        limitMultipliers: JSON.stringify(submission.limitMultipliers),
        problem: JSON.stringify(submission.problem),
        testCount: String(submission.testCount),
        disclosure: JSON.stringify(submission.disclosure),
        request: JSON.stringify(submission.request),
        ...(submission.callbackUrl !== null ? { callbackUrl: submission.callbackUrl } : {}),
      })
      .expire(key, ttl)
      // Indexed until it is seen finished: the judge-job reconciler sweeps these for lost jobs.
      .zadd(this.keys.openSubmissions, Date.now(), submission.id)
      .exec();
    return { id: submission.id, created: true };
  }

  /** Undoes `create` when the submission could not be queued, so a retry with the same key starts afresh. */
  async discard(id: string, idempotencyKey?: string): Promise<void> {
    const keys = [this.keys.submission(id), ...(idempotencyKey ? [this.keys.idempotency(idempotencyKey)] : [])];
    await this.redis.multi().del(...keys).zrem(this.keys.openSubmissions, id).exec();
  }

  /** Where a submission stands, without reading its results; null for an unknown or expired one. */
  async statusOf(id: string): Promise<SubmissionStatusSummary | null> {
    const [status, attempt, verdict, traceId] = await this.redis.hmget(this.keys.submission(id), 'status', 'attempt', 'verdict', 'traceId');
    if (status === null) return null;
    return { status: status as SubmissionStatus, attempt: attempt === null ? null : Number(attempt), verdict: (verdict as Verdict | null) ?? null, traceId: traceId ?? '' };
  }

  /** Where a submission's final result is to be sent; null when nowhere, or for an unknown or expired submission. */
  async callbackUrlOf(id: string): Promise<string | null> {
    return this.redis.hget(this.keys.submission(id), 'callbackUrl');
  }

  /**
   * One page of the index of submissions that may not be finished yet (ZSCAN: a submission indexed
   * for the whole scan is returned at least once, possibly twice). Start with cursor '0'; done when
   * the returned cursor is '0' again.
   */
  async scanOpen(cursor: string, count = 200): Promise<{ cursor: string; ids: string[] }> {
    const [next, flat] = await this.redis.zscan(this.keys.openSubmissions, cursor, 'COUNT', count);
    return { cursor: next, ids: flat.filter((_, i) => i % 2 === 0) };
  }

  /** Drops submissions seen finished (or expired) from the index of open ones. */
  async forgetOpen(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.redis.zrem(this.keys.openSubmissions, ...ids);
  }

  /** A submission as its submitter may see it: hidden tests cut to its problem's feedback level. */
  async publicView(id: string): Promise<SubmissionView | null> {
    const hash = await this.redis.hgetall(this.keys.submission(id));
    if (!hash.status) return null;
    const tests = Object.entries(hash)
      .filter(([field]) => field.startsWith(TEST_FIELD))
      .map(([, value]) => JSON.parse(value) as TestResult)
      .sort((a, b) => a.index - b.index);
    const complete: CompleteSubmissionView = {
      id: hash.id,
      status: hash.status as SubmissionStatus,
      language: hash.language,
      verdict: (hash.verdict as Verdict | undefined) ?? null,
      tests,
      testCount: Number(hash.testCount),
      score: hash.score !== undefined ? Number(hash.score) : null,
      maxScore: hash.maxScore !== undefined ? Number(hash.maxScore) : null,
      subtasks: hash.subtasks ? (JSON.parse(hash.subtasks) as SubtaskResult[]) : [],
      problem: hash.problem ? (JSON.parse(hash.problem) as SubmissionView['problem']) : null,
      limitMultipliers: hash.limitMultipliers ? (JSON.parse(hash.limitMultipliers) as SubmissionView['limitMultipliers']) : null,
      compileOutput: hash.compileOutput ?? null,
      message: hash.message ?? null,
      limits: JSON.parse(hash.limits) as Limits,
      traceId: hash.traceId,
      createdAt: hash.createdAt,
      startedAt: hash.startedAt ?? null,
      finishedAt: hash.finishedAt ?? null,
    };
    return discloseResult(complete, disclosureOf(hash));
  }

  async apply(event: ResultEvent): Promise<ApplyOutcome> {
    const { status, set, setIfAbsent } = this.fieldsOf(event);
    return this.redis.applyResultEvent(
      this.keys.submission(event.submissionId),
      status,
      JSON.stringify(set),
      JSON.stringify(setIfAbsent),
      this.policy.SUBMISSION_RETENTION_SECONDS,
      TEST_FIELD,
    );
  }

  private fieldsOf(event: ResultEvent): { status: SubmissionStatus; set: Record<string, string>; setIfAbsent: Record<string, string> } {
    switch (event.type) {
      case 'running':
        return { status: 'running', set: { attempt: String(event.attempt), workerId: event.workerId }, setIfAbsent: { startedAt: event.startedAt } };
      case 'compiled':
        return { status: 'running', set: {}, setIfAbsent: { compileOutput: event.compileOutput } };
      case 'tests':
        return { status: 'running', set: {}, setIfAbsent: Object.fromEntries(event.tests.map((test) => [`${TEST_FIELD}${test.index}`, JSON.stringify(test)])) };
      case 'final': {
        // The final event carries every test: it replaces whatever progress arrived before it.
        const set: Record<string, string> = { verdict: event.verdict, finishedAt: event.finishedAt, attempt: String(event.attempt) };
        for (const test of event.tests) set[`${TEST_FIELD}${test.index}`] = JSON.stringify(test);
        if (event.compileOutput !== null) set.compileOutput = event.compileOutput;
        if (event.message !== null) set.message = event.message;
        if (event.score !== null) set.score = String(event.score);
        if (event.maxScore !== null) set.maxScore = String(event.maxScore);
        set.subtasks = JSON.stringify(event.subtasks);
        return { status: event.status, set, setIfAbsent: { startedAt: event.finishedAt } };
      }
    }
  }
}

/**
 * The stored disclosure. A submission against a problem stored before feedback levels existed has
 * none: its tests cannot be told apart, so every one is hidden at the default level.
 */
function disclosureOf(hash: Record<string, string>): ResultDisclosure | null {
  if (hash.disclosure) return JSON.parse(hash.disclosure) as ResultDisclosure | null;
  return hash.problem && hash.problem !== 'null' ? { level: DEFAULT_FEEDBACK_LEVEL, publicTests: [] } : null;
}
