import { Requester, canAccess } from '@verdict/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { SubmissionPolicyConfig } from '@verdict/config';
import {
  DEFAULT_FEEDBACK_LEVEL,
  Limits,
  PreviousJudging,
  ResultDisclosure,
  ResultEvent,
  SubmissionSummary,
  SubmissionStatus,
  SubmissionView,
  SubtaskResult,
  TestResult,
  Verdict,
} from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis, { ChainableCommander } from 'ioredis';
import { APPLY_RESULT_EVENT_LUA } from './apply-result-event.lua';
import { STORE_NEW_SUBMISSIONS_LUA } from './store-new-submissions.lua';
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
  /** The batch it was submitted in, if any. */
  batchId: string | null;
  /** The tenant whose key submitted it; null for an admin key. */
  tenantId: string | null;
}

/** An Idempotency-Key as claimed: the key (within its tenant's scope) and a fingerprint of the request it came with. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** What a rejudge replaces in a submission's record: the plan on the problem's current version, and the batch that judges it again. */
export type Rejudging = Pick<NewSubmission, 'limits' | 'limitMultipliers' | 'problem' | 'testCount' | 'disclosure'> & { batchId: string };

/** Filters of `list`: each compared with the submission's current fields. */
export interface SubmissionFilter {
  /** Only this tenant's submissions (a tenant's listing); unset: everyone's (an admin's). */
  tenant?: string;
  batch?: string;
  problem?: string;
  status?: SubmissionStatus;
  verdict?: Verdict;
}

export type ApplyOutcome = 'applied' | 'stale' | 'missing';

/** What applying an event did, and for the event that started a judging, what its wait is measured from. */
export interface AppliedEvent {
  outcome: ApplyOutcome;
  /** Set once per judging: when its `running` first stored its startedAt. */
  started: { language: string; queuedAt: number } | null;
}

/** The few fields that say whether a submission is finished, and what a result for it must carry. */
export interface SubmissionStatusSummary {
  status: SubmissionStatus;
  /** The try that last reported (running or final); null before any did. */
  attempt: number | null;
  /** Null until a final result is stored. */
  verdict: Verdict | null;
  traceId: string;
  /** Which judging of the submission this is: 1, then one more per rejudge. */
  judging: number;
  /** The batch of the current judging, if any. */
  batchId: string | null;
  /** The tenant whose key submitted it; null for an admin key. */
  tenantId: string | null;
  language: string;
}

/**
 * A submission the queue-age sweep ended as expired whose SubmissionFinished is still to be announced:
 * what its judging was when it expired (a later rejudge changes the record, not this).
 */
export interface UnannouncedExpiry {
  submissionId: string;
  judging: number;
  batchId: string | null;
  traceId: string;
  /** '' for an expiry announced before the language was recorded with it. */
  language: string;
  /** Its entry in the index of unannounced expiries, dropped once announced (`expiryAnnounced`). */
  entry: string;
}

type RedisWithApply = Redis & {
  storeNewSubmissions(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<string | null>;
  applyResultEvent(key: string, status: string, set: string, setIfAbsent: string, retention: number, testFieldPrefix: string, reportFirst: string): Promise<ApplyOutcome | [ApplyOutcome, string, string, string]>;
  cancelQueuedSubmission(key: string, finishedAt: string, retention: number): Promise<number>;
  startRejudging(key: string, openIndex: string, set: string, testFieldPrefix: string, queuedAt: number, id: string): Promise<number>;
  expireQueuedSubmission(
    key: string, openIndex: string, unannounced: string,
    id: string, queuedBefore: number, finishedAt: string, message: string, retention: number, heldUntil: number,
  ): Promise<string | null>;
  claimUnannouncedExpiries(unannounced: string, now: number, heldUntil: number, count: number): Promise<string[]>;
};

const TEST_FIELD = 'test:';

/** A new submission's hash, as field/value pairs. */
function recordFields(submission: NewSubmission): string[] {
  const fields = [
    'id', submission.id,
    'status', 'queued' satisfies SubmissionStatus,
    'language', submission.language,
    'traceId', submission.traceId,
    'createdAt', submission.createdAt,
    'limits', JSON.stringify(submission.limits),
    'limitMultipliers', JSON.stringify(submission.limitMultipliers),
    'problem', JSON.stringify(submission.problem),
    'testCount', String(submission.testCount),
    'disclosure', JSON.stringify(submission.disclosure),
    'request', JSON.stringify(submission.request),
    'judging', '1',
  ];
  if (submission.callbackUrl !== null) fields.push('callbackUrl', submission.callbackUrl);
  if (submission.batchId !== null) fields.push('batchId', submission.batchId);
  if (submission.tenantId !== null) fields.push('tenantId', submission.tenantId);
  return fields;
}
/** Commands per pipeline when many submissions are written or read at once. */
const PIPELINE_CHUNK = 500;

/** queued -> cancelled, only while queued; the record then expires after the retention like any final one. */
const CANCEL_QUEUED_LUA = `
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * A final (completed or failed) submission back to queued for its next judging: the outcome of the
 * current one is appended to previousJudgings, its results cleared, the new plan's fields written.
 * The submission is indexed as open again (KEYS[2], ARGV[4] scored ARGV[3]) in the same step.
 * Returns the new judging number, or 0 when the submission is not final (or is gone).
 */
const START_REJUDGING_LUA = `
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return 0 end
local f = {}
for i = 1, #h, 2 do f[h[i]] = h[i + 1] end
if f.status ~= 'completed' and f.status ~= 'failed' then return 0 end
local judging = tonumber(f.judging or '1')
local previous = {}
if f.previousJudgings then previous = cjson.decode(f.previousJudgings) end
local function num(v) if v == nil then return cjson.null end return tonumber(v) end
local function str(v) if v == nil then return cjson.null end return v end
local problem = cjson.null
if f.problem and f.problem ~= 'null' then problem = cjson.decode(f.problem) end
table.insert(previous, { judging = judging, status = f.status, verdict = str(f.verdict), score = num(f.score), maxScore = num(f.maxScore),
  problem = problem, startedAt = str(f.startedAt), finishedAt = str(f.finishedAt) })
for field, _ in pairs(f) do
  if string.sub(field, 1, #ARGV[2]) == ARGV[2] then redis.call('HDEL', KEYS[1], field) end
end
redis.call('HDEL', KEYS[1], 'verdict', 'score', 'maxScore', 'subtasks', 'compileOutput', 'message', 'startedAt', 'finishedAt', 'attempt', 'workerId')
for field, value in pairs(cjson.decode(ARGV[1])) do redis.call('HSET', KEYS[1], field, value) end
redis.call('HSET', KEYS[1], 'status', 'queued', 'judging', tostring(judging + 1), 'previousJudgings', cjson.encode(previous), 'queuedAt', ARGV[3])
-- Open again, in the same step: its queue age counts from now, never from an earlier judging.
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return judging + 1
`;

/**
 * queued -> failed "expired in queue", only for a submission still queued whose current judging was
 * queued (its score in the open index) at or before ARGV[2]: one a worker started (running), or that
 * is final, or was queued again since it was read, is left alone. The record gets what a final
 * failure stores (verdict IE, the message, finishedAt; attempt 0: no try reported) and the
 * retention of a final one; it leaves the open index and its announcement enters the unannounced
 * ones, held by the caller until ARGV[6]. Returns that announcement (JSON), or nil when nothing
 * expired.
 * KEYS: submission hash, open index, unannounced expiries. ARGV: id, queued before (ms), finishedAt,
 * message, retention (s), held until (ms).
 */
const EXPIRE_QUEUED_LUA = `
local queuedAt = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not queuedAt or tonumber(queuedAt) > tonumber(ARGV[2]) then return nil end
local f = redis.call('HMGET', KEYS[1], 'status', 'judging', 'batchId', 'traceId', 'language')
if f[1] ~= 'queued' then return nil end
redis.call('HSET', KEYS[1], 'status', 'failed', 'verdict', 'IE', 'message', ARGV[4], 'finishedAt', ARGV[3], 'attempt', '0')
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZREM', KEYS[2], ARGV[1])
local announcement = cjson.encode({ submissionId = ARGV[1], judging = tonumber(f[2] or '1'), batchId = f[3] or cjson.null, traceId = f[4] or '', language = f[5] or '' })
redis.call('ZADD', KEYS[3], ARGV[6], announcement)
return announcement
`;

/**
 * The unannounced expiries no sweep holds (held until at most ARGV[1]), at most ARGV[3] of them,
 * now held by the caller until ARGV[2]: two sweeps never claim the same one within a hold.
 */
const CLAIM_UNANNOUNCED_LUA = `
local due = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
for _, entry in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], entry) end
return due
`;

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
    if (!('storeNewSubmissions' in redis)) redis.defineCommand('storeNewSubmissions', { lua: STORE_NEW_SUBMISSIONS_LUA });
    if (!('applyResultEvent' in redis)) redis.defineCommand('applyResultEvent', { numberOfKeys: 1, lua: APPLY_RESULT_EVENT_LUA });
    if (!('cancelQueuedSubmission' in redis)) redis.defineCommand('cancelQueuedSubmission', { numberOfKeys: 1, lua: CANCEL_QUEUED_LUA });
    if (!('startRejudging' in redis)) redis.defineCommand('startRejudging', { numberOfKeys: 2, lua: START_REJUDGING_LUA });
    if (!('expireQueuedSubmission' in redis)) redis.defineCommand('expireQueuedSubmission', { numberOfKeys: 3, lua: EXPIRE_QUEUED_LUA });
    if (!('claimUnannouncedExpiries' in redis)) redis.defineCommand('claimUnannouncedExpiries', { numberOfKeys: 1, lua: CLAIM_UNANNOUNCED_LUA });
    this.redis = redis as RedisWithApply;
  }

  /**
   * Stores a new submission. With an idempotency claim, a second call with the same key stores
   * nothing and returns the id stored by the first, and whether its request had the same fingerprint.
   */
  async create(submission: NewSubmission, idempotency?: IdempotencyClaim): Promise<{ id: string; created: boolean; sameRequest: boolean }> {
    const claim = idempotency ? { key: this.keys.idempotency(idempotency.key), value: `${submission.id} ${idempotency.fingerprint}` } : undefined;
    const held = await this.store([submission], claim);
    if (held !== null) {
      const [id, fingerprint] = held.split(' ');
      return { id, created: false, sameRequest: fingerprint === idempotency!.fingerprint };
    }
    return { id: submission.id, created: true, sameRequest: true };
  }

  /** Stores many new submissions (a batch), a chunk per script run. */
  async createMany(submissions: NewSubmission[]): Promise<void> {
    for (let start = 0; start < submissions.length; start += PIPELINE_CHUNK) await this.store(submissions.slice(start, start + PIPELINE_CHUNK));
  }

  /** Writes each record and its indexes (STORE_NEW_SUBMISSIONS_LUA); returns a claim already held, else null. */
  private async store(submissions: NewSubmission[], claim?: { key: string; value: string }): Promise<string | null> {
    const keys = [this.keys.openSubmissions, this.keys.submissionIndex, ...(claim ? [claim.key] : [])];
    const args: (string | number)[] = [Date.now(), this.policy.SUBMISSION_RETENTION_SECONDS, claim?.value ?? ''];
    for (const submission of submissions) {
      const fields = recordFields(submission);
      // Indexed until it is seen finished (the open index): the judge-job reconciler sweeps it for
      // lost jobs, the queue-age sweep for those queued too long. Listings and rejudges read the
      // others; a tenant's listing reads its own index and never scans everyone's; ids that
      // expired are pruned when read.
      keys.push(this.keys.submission(submission.id));
      if (submission.tenantId !== null) keys.push(this.keys.tenantSubmissions(submission.tenantId));
      if (submission.problem) keys.push(this.keys.problemSubmissions(submission.problem.id));
      args.push(submission.id, Date.parse(submission.createdAt), submission.tenantId !== null ? 1 : 0, submission.problem ? 1 : 0, fields.length / 2, ...fields);
    }
    return this.redis.storeNewSubmissions(keys.length, ...keys, ...args);
  }

  /** Undoes `create` when the submission could not be queued, so a retry with the same key starts afresh. */
  async discard(submission: NewSubmission, idempotencyKey?: string): Promise<void> {
    const { id, tenantId } = submission;
    const keys = [this.keys.submission(id), ...(idempotencyKey ? [this.keys.idempotency(idempotencyKey)] : [])];
    const transaction = this.redis.multi().del(...keys).zrem(this.keys.openSubmissions, id).zrem(this.keys.submissionIndex, id);
    if (tenantId !== null) transaction.zrem(this.keys.tenantSubmissions(tenantId), id);
    await transaction.exec();
  }

  /** Undoes `createMany` (a batch that could not be queued). Problem indexes are pruned of the ids when next read. */
  async discardMany(ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += PIPELINE_CHUNK) {
      const chunk = ids.slice(start, start + PIPELINE_CHUNK);
      await execOrThrow(
        this.redis
          .pipeline()
          .del(...chunk.map((id) => this.keys.submission(id)))
          .zrem(this.keys.openSubmissions, ...chunk)
          .zrem(this.keys.submissionIndex, ...chunk),
      );
    }
  }

  /** Ends a submission that is still queued as `cancelled`; false when it has started, is final, or is unknown. */
  async cancelIfQueued(id: string): Promise<boolean> {
    return (await this.redis.cancelQueuedSubmission(this.keys.submission(id), new Date().toISOString(), this.policy.SUBMISSION_RETENTION_SECONDS)) === 1;
  }

  /**
   * Puts a final submission back in the queue for its next judging, keeping the outcome of the current
   * one in `previousJudgings`. Returns the new judging number, or null when it is not final (or gone).
   */
  async startRejudging(id: string, rejudging: Rejudging): Promise<number | null> {
    const set = {
      limits: JSON.stringify(rejudging.limits),
      limitMultipliers: JSON.stringify(rejudging.limitMultipliers),
      problem: JSON.stringify(rejudging.problem),
      testCount: String(rejudging.testCount),
      disclosure: JSON.stringify(rejudging.disclosure),
      batchId: rejudging.batchId,
    };
    // Open again in the same script: the reconciler watches its new job, and its queue age starts now.
    const judging = await this.redis.startRejudging(this.keys.submission(id), this.keys.openSubmissions, JSON.stringify(set), TEST_FIELD, Date.now(), id);
    return judging === 0 ? null : judging;
  }

  /**
   * Ids in the open index whose current judging was queued at or before `queuedBefore` (ms since the
   * epoch), oldest first, from `offset`: candidates of the queue-age sweep. Some may have started or
   * finished since; `expireIfQueued` decides.
   */
  async queuedBefore(queuedBefore: number, offset: number, count: number): Promise<string[]> {
    return this.redis.zrange(this.keys.openSubmissions, '-inf', queuedBefore, 'BYSCORE', 'LIMIT', offset, count);
  }

  /**
   * Ends a submission as failed with `message` if it is still queued and its current judging was
   * queued at or before `queuedBefore`, in one script (a worker's `running` applied first wins). The
   * expiry then waits in the index of unannounced ones, held by this caller until `heldUntil`, until
   * `expiryAnnounced`. Returns it, or null when nothing expired (started, final, queued again since,
   * expired by another caller, unknown).
   */
  async expireIfQueued(id: string, { queuedBefore, message, heldUntil }: { queuedBefore: number; message: string; heldUntil: number }): Promise<UnannouncedExpiry | null> {
    const entry = await this.redis.expireQueuedSubmission(
      this.keys.submission(id), this.keys.openSubmissions, this.keys.unannouncedQueueExpiries,
      id, queuedBefore, new Date().toISOString(), message, this.policy.SUBMISSION_RETENTION_SECONDS, heldUntil,
    );
    return entry === null ? null : unannouncedExpiryOf(entry);
  }

  /**
   * Up to `count` expiries whose announcement nobody holds (each held until at most `now`: its
   * announcer died or failed), now held by this caller until `heldUntil`.
   */
  async claimUnannouncedExpiries(now: number, heldUntil: number, count: number): Promise<UnannouncedExpiry[]> {
    const entries = await this.redis.claimUnannouncedExpiries(this.keys.unannouncedQueueExpiries, now, heldUntil, count);
    return entries.map(unannouncedExpiryOf);
  }

  /** An expiry's SubmissionFinished was announced: it leaves the index of unannounced ones. */
  async expiryAnnounced(expiry: UnannouncedExpiry): Promise<void> {
    await this.redis.zrem(this.keys.unannouncedQueueExpiries, expiry.entry);
  }

  /** The request a submission was accepted with (for a rejudge); null for an unknown or expired one. */
  async requestOf(id: string): Promise<unknown> {
    const request = await this.redis.hget(this.keys.submission(id), 'request');
    return request === null ? null : JSON.parse(request);
  }

  /** Where a submission stands, without reading its results; null for an unknown or expired one. */
  async statusOf(id: string): Promise<SubmissionStatusSummary | null> {
    const [status, attempt, verdict, traceId, judging, batchId, tenantId, language] = await this.redis.hmget(this.keys.submission(id), 'status', 'attempt', 'verdict', 'traceId', 'judging', 'batchId', 'tenantId', 'language');
    if (status === null) return null;
    return {
      status: status as SubmissionStatus,
      attempt: attempt === null ? null : Number(attempt),
      verdict: (verdict as Verdict | null) ?? null,
      traceId: traceId ?? '',
      judging: judging === null ? 1 : Number(judging),
      batchId,
      tenantId,
      language: language ?? '',
    };
  }

  /** Where a submission stands, if `requester` may see it: another tenant's is as unknown as a missing one. */
  async statusFor(id: string, requester: Requester): Promise<SubmissionStatusSummary | null> {
    const status = await this.statusOf(id);
    return status && canAccess(requester, status.tenantId) ? status : null;
  }

  /** Summaries of many submissions (pipelined HMGETs, no tests read), in order; null for an expired one. */
  async summaries(ids: string[]): Promise<(SubmissionSummary | null)[]> {
    const out: (SubmissionSummary | null)[] = [];
    for (let start = 0; start < ids.length; start += PIPELINE_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(start, start + PIPELINE_CHUNK)) pipeline.hmget(this.keys.submission(id), ...SUMMARY_FIELDS);
      for (const [error, values] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        out.push(summaryOf(values as (string | null)[]));
      }
    }
    return out;
  }

  /** Public views of many submissions (pipelined), in order; null for an expired one. */
  async publicViews(ids: string[]): Promise<(SubmissionView | null)[]> {
    const out: (SubmissionView | null)[] = [];
    for (let start = 0; start < ids.length; start += PIPELINE_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(start, start + PIPELINE_CHUNK)) pipeline.hgetall(this.keys.submission(id));
      for (const [error, hash] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        out.push(viewOf(hash as Record<string, string>));
      }
    }
    return out;
  }

  /**
   * One page of submissions, newest first, from the index of all submissions or of one problem's,
   * filtered on their current fields. Ids that expired are pruned from the index as they are met.
   * The cursor is `<score>:<how many at that score were passed>`; at most `scanLimit` ids are
   * examined per page, so a page may hold fewer than `limit` items while `nextCursor` is not null.
   */
  async list(filter: SubmissionFilter, cursor: string | undefined, limit: number): Promise<{ items: SubmissionSummary[]; nextCursor: string | null }> {
    const index = filter.problem
      ? this.keys.problemSubmissions(filter.problem)
      : filter.tenant !== undefined
        ? this.keys.tenantSubmissions(filter.tenant)
        : this.keys.submissionIndex;
    let [score, passed] = cursor ? cursor.split(':').map(Number) : [Number.POSITIVE_INFINITY, 0];
    const scanLimit = Math.max(limit * 10, 1000);
    const items: SubmissionSummary[] = [];
    let examined = 0;
    for (;;) {
      const count = Math.min(Math.max(limit, 100), scanLimit - examined);
      const flat = await this.redis.zrange(index, score === Number.POSITIVE_INFINITY ? '+inf' : score, '-inf', 'BYSCORE', 'REV', 'LIMIT', passed, count, 'WITHSCORES');
      const ids = flat.filter((_, i) => i % 2 === 0);
      const summaries = await this.summaries(ids);
      const expired = ids.filter((_, i) => summaries[i] === null);
      if (expired.length > 0) await this.redis.zrem(index, ...expired);
      for (let i = 0; i < ids.length; i++) {
        examined++;
        const summary = summaries[i];
        // An expired id has left the index: only ids still in it count as passed at their score.
        if (summary === null) continue;
        const at = Number(flat[2 * i + 1]);
        passed = at === score ? passed + 1 : 1;
        score = at;
        if (matches(summary, filter)) items.push(summary);
        if (items.length === limit) return { items, nextCursor: `${score}:${passed}` };
      }
      if (ids.length < count) return { items, nextCursor: null };
      if (examined >= scanLimit) return { items, nextCursor: `${score}:${passed}` };
    }
  }

  /** Ids of the submissions against a problem still within retention, oldest first (expired ones pruned). */
  async idsOfProblem(problemId: string): Promise<string[]> {
    const index = this.keys.problemSubmissions(problemId);
    const ids = await this.redis.zrange(index, 0, -1);
    const summaries = await this.summaries(ids);
    const expired = ids.filter((_, i) => summaries[i] === null);
    if (expired.length > 0) await this.redis.zrem(index, ...expired);
    return ids.filter((_, i) => summaries[i] !== null);
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
  async publicView(id: string, { fullFeedback = false } = {}): Promise<SubmissionView | null> {
    return viewOf(await this.redis.hgetall(this.keys.submission(id)), fullFeedback);
  }

  async apply(event: ResultEvent): Promise<ApplyOutcome> {
    return (await this.applyEvent(event)).outcome;
  }

  /**
   * Applies an event, as `apply`; the `running` that first stores a judging's startedAt also says
   * when that judging was queued (its acceptance, or its rejudge) and its language, read by the same
   * script: the API measures the wait without another read.
   */
  async applyEvent(event: ResultEvent): Promise<AppliedEvent> {
    const { status, set, setIfAbsent } = this.fieldsOf(event);
    const reply = await this.redis.applyResultEvent(
      this.keys.submission(event.submissionId),
      status,
      JSON.stringify(set),
      JSON.stringify(setIfAbsent),
      this.policy.SUBMISSION_RETENTION_SECONDS,
      TEST_FIELD,
      event.type === 'running' ? 'startedAt' : '',
    );
    if (!Array.isArray(reply)) return { outcome: reply, started: null };
    const [outcome, language, queuedAt, createdAt] = reply;
    const at = queuedAt !== '' ? Number(queuedAt) : Date.parse(createdAt);
    return { outcome, started: Number.isNaN(at) ? null : { language, queuedAt: at } };
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

function unannouncedExpiryOf(entry: string): UnannouncedExpiry {
  const { submissionId, judging, batchId, traceId, language } = JSON.parse(entry) as Omit<UnannouncedExpiry, 'entry'>;
  return { submissionId, judging, batchId, traceId, language: language ?? '', entry };
}

/** With `fullFeedback` (asked for by the problem's owner or an admin), hidden tests are shown in full too. */
function viewOf(hash: Record<string, string>, fullFeedback = false): SubmissionView | null {
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
    judging: hash.judging ? Number(hash.judging) : 1,
    previousJudgings: hash.previousJudgings ? (JSON.parse(hash.previousJudgings) as PreviousJudging[]) : [],
    batchId: hash.batchId ?? null,
    tenantId: hash.tenantId ?? null,
  };
  const disclosure = disclosureOf(hash);
  return discloseResult(complete, disclosure && fullFeedback ? { ...disclosure, level: 'full' } : disclosure);
}

const SUMMARY_FIELDS = ['id', 'status', 'verdict', 'score', 'maxScore', 'language', 'problem', 'batchId', 'tenantId', 'judging', 'createdAt', 'finishedAt'] as const;

function summaryOf(values: (string | null)[]): SubmissionSummary | null {
  const [id, status, verdict, score, maxScore, language, problem, batchId, tenantId, judging, createdAt, finishedAt] = values;
  if (id === null || status === null) return null;
  return {
    id,
    status: status as SubmissionStatus,
    verdict: (verdict as Verdict | null) ?? null,
    score: score === null ? null : Number(score),
    maxScore: maxScore === null ? null : Number(maxScore),
    language: language ?? '',
    problem: problem ? (JSON.parse(problem) as SubmissionSummary['problem']) : null,
    batchId,
    tenantId,
    judging: judging === null ? 1 : Number(judging),
    createdAt: createdAt ?? '',
    finishedAt,
  };
}

function matches(summary: SubmissionSummary, filter: SubmissionFilter): boolean {
  return (
    (filter.tenant === undefined || summary.tenantId === filter.tenant) &&
    (filter.batch === undefined || summary.batchId === filter.batch) &&
    (filter.problem === undefined || summary.problem?.id === filter.problem) &&
    (filter.status === undefined || summary.status === filter.status) &&
    (filter.verdict === undefined || summary.verdict === filter.verdict)
  );
}

/** A pipeline's replies, or its first error. */
async function execOrThrow(pipeline: ChainableCommander): Promise<void> {
  for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
}

/**
 * The stored disclosure. A submission against a problem stored before feedback levels existed has
 * none: its tests cannot be told apart, so every one is hidden at the default level.
 */
function disclosureOf(hash: Record<string, string>): ResultDisclosure | null {
  if (hash.disclosure) return JSON.parse(hash.disclosure) as ResultDisclosure | null;
  return hash.problem && hash.problem !== 'null' ? { level: DEFAULT_FEEDBACK_LEVEL, publicTests: [] } : null;
}
