import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JudgeQueueConfig, RedisConfig } from '@verdict/config';
import { JudgeJobPayload, SUBMISSION_ID_PATTERN, isTerminalStatus, judgeFailedEvent } from '@verdict/contracts';
import { InjectJobQueue, JUDGE_QUEUE, JobQueue, sweepEvery } from '@verdict/job-queues';
import { REDIS, RedisKeys, bullOptions } from '@verdict/redis';
import { Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { JudgeJobFate, SweepObservations, compareStreamIds, describeJudgeJobFate, fateOfJobState, streamIdTime } from './judge-job-fate';
import { ResultStreamPublisher } from '@verdict/result-stream';
import { SubmissionStore } from './submission-store';

/**
 * Moves a stream cursor forward only. Every API process reads the whole events stream and writes the
 * last entry it handled: a cursor some process wrote means everything up to it was handled, so the
 * furthest one is safe to resume from, and a slower process must not pull it back.
 */
const ADVANCE_CURSOR_LUA = `
local current = redis.call('GET', KEYS[1])
if current then
  local cms, cseq = string.match(current, '^(%d+)-(%d+)$')
  local nms, nseq = string.match(ARGV[1], '^(%d+)-(%d+)$')
  if cms and nms then
    cms, cseq, nms, nseq = tonumber(cms), tonumber(cseq), tonumber(nms), tonumber(nseq)
    if nms < cms or (nms == cms and nseq <= cseq) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

type RedisWithCursor = Redis & { advanceStreamCursor(key: string, id: string): Promise<number> };

/** Events the cursor moves past without acting on them (one left out would only hold the cursor back until the next). */
const PASSING_EVENTS = [
  'added', 'waiting', 'active', 'progress', 'completed', 'delayed', 'stalled', 'retries-exhausted', 'cleaned',
  'paused', 'resumed', 'duplicated', 'deduplicated', 'debounced', 'waiting-children',
] as const;

/** Unacted-on progress of the cursor is written at most this often (an acted-on event's at once). */
const CURSOR_FLUSH_MS = 1000;
const RETRY_MS = 1000;

/**
 * Ends the submissions whose judge job will never report a result: the worker closes a submission
 * itself when judging fails for good, but not when BullMQ fails the job around it (stalled too
 * often after worker crashes, a processor error outside the judge) or when the job is taken out of
 * the queue (removed, cleaned, drained, obliterated). For each such job whose submission is not
 * final yet, it publishes a final `failed` IE result naming what happened, through the result
 * stream like any other result, so the store's idempotent apply decides: a final already there (or
 * still on its way, ahead in the stream) wins, a second one is a no-op.
 *
 * Two sources, in the API (every replica runs both; publishing twice is harmless):
 * - BullMQ's events stream of the queue (QueueEvents): `failed` (written only for a job BullMQ will
 *   not retry) and `removed`. The id of the last event handled is kept in Redis, so an API restart
 *   resumes where it stopped instead of missing what happened meanwhile.
 * - A periodic sweep over the submissions not seen finished, for jobs that vanished without an event
 *   per job (clean, drain, obliterate, an API lost between storing a submission and queueing it) or
 *   whose event was trimmed from the stream before any API read it.
 */
@Injectable()
export class JudgeJobReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JudgeJobReconciler.name);
  private readonly redis: RedisWithCursor;
  private readonly stopping = new AbortController();
  private queue!: Queue;
  private events!: QueueEvents;
  /** Events are handled one at a time, in stream order: the cursor never passes one not yet handled. */
  private handling: Promise<void> = Promise.resolve();
  private handledUpTo: string | null = null;
  private persistedUpTo: string | null = null;
  private readonly observations = new SweepObservations();
  private loops: Promise<void>[] = [];

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    private readonly redisConfig: RedisConfig,
    private readonly config: JudgeQueueConfig,
    private readonly store: SubmissionStore,
    private readonly results: ResultStreamPublisher,
    @InjectJobQueue(JUDGE_QUEUE) private readonly jobs: JobQueue<JudgeJobPayload>,
  ) {
    if (!('advanceStreamCursor' in redis)) redis.defineCommand('advanceStreamCursor', { numberOfKeys: 1, lua: ADVANCE_CURSOR_LUA });
    this.redis = redis as RedisWithCursor;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new Queue(JUDGE_QUEUE.name, bullOptions(this.redisConfig, this.keys, 'producer'));
    this.queue.on('error', (error) => this.logger.error(`judge queue connection error: ${error.message}`));
    const cursor = await this.redis.get(this.keys.judgeJobEventsCursor);
    this.handledUpTo = this.persistedUpTo = cursor;
    await this.warnIfTrimmedPast(cursor);

    // Its XREAD blocks: a connection of its own that waits out Redis outages.
    const { prefix, connection } = bullOptions(this.redisConfig, this.keys, 'worker');
    // No cursor yet (the first API ever): from the start of the stream, so nothing written before is missed.
    this.events = new QueueEvents(JUDGE_QUEUE.name, { prefix, connection, autorun: false, lastEventId: cursor ?? '0' });
    this.events.on('error', (error) => this.logger.error(`judge queue events connection error: ${error.message}`));
    this.events.on('failed', ({ jobId, failedReason }, id) => this.follow(id, () => this.onFailed(jobId, failedReason)));
    this.events.on('removed', ({ jobId, prev }, id) => this.follow(id, () => this.onRemoved(jobId, prev, id)));
    this.events.on('drained', (id) => this.follow(id));
    for (const name of PASSING_EVENTS) this.events.on(name as 'added', (_args: unknown, id: string) => this.follow(id));
    await this.events.waitUntilReady();
    this.events.run().catch((error: Error) => this.logger.error(`reading the judge queue's events stopped: ${error.message}`));

    this.loops = [this.flushLoop(), this.sweepLoop()];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.events?.close();
    // The event being handled ends (a removal's grace cut short) without the cursor passing it.
    await this.handling;
    await Promise.allSettled(this.loops);
    await this.persistCursor().catch((error: Error) => this.logger.error(`saving the judge queue events cursor failed: ${error.message}`));
    await this.queue?.close();
  }

  /** Queues the handling of one event (none for events only passed over), then moves the cursor past it. */
  private follow(id: string, act?: () => Promise<void>): void {
    this.handling = this.handling.then(async () => {
      if (this.stopping.signal.aborted) return;
      if (act && !(await this.untilDone(act, `handling judge queue event ${id}`))) return;
      this.handledUpTo = id;
      // Written at once after an event acted on: a restart must not handle it again, and tests wait on it.
      if (act) await this.persistCursor().catch((error: Error) => this.logger.error(`saving the judge queue events cursor failed: ${error.message}`));
    });
  }

  /** Retries a Redis operation until it succeeds or the app stops; false if it stopped first. */
  private async untilDone(operation: () => Promise<void>, what: string): Promise<boolean> {
    while (!this.stopping.signal.aborted) {
      try {
        await operation();
        return true;
      } catch (error) {
        if (this.stopping.signal.aborted) return false;
        this.logger.error(`${what} failed: ${(error as Error).message}; retrying`);
        await sleep(RETRY_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
    return false;
  }

  private async onFailed(jobId: string, failedReason: string): Promise<void> {
    if (!SUBMISSION_ID_PATTERN.test(jobId)) return;
    // BullMQ writes 'failed' only for a job it will not retry (a retry is written as 'delayed' or
    // 'waiting'). Read long after, the job may have been retried by hand since: only a job still
    // failed, or gone since, is done for.
    const { state } = await this.jobs.inspect(jobId);
    if (state !== 'failed' && state !== 'unknown') return;
    await this.fail(jobId, { kind: 'failed', failedReason });
  }

  private async onRemoved(jobId: string, prev: string, eventId: string): Promise<void> {
    if (!SUBMISSION_ID_PATTERN.test(jobId)) return;
    const wait = streamIdTime(eventId) + this.config.JOB_REMOVAL_GRACE_MS - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: this.stopping.signal });
    // Added again under the same id (an operator replacing a job): the new job will report.
    if ((await this.jobs.inspect(jobId)).state !== 'unknown') return;
    await this.fail(jobId, { kind: 'removed', prev });
  }

  /** Publishes the submission's final failure, unless it is finished (or unknown) already. */
  private async fail(submissionId: string, fate: JudgeJobFate): Promise<void> {
    const record = await this.store.statusOf(submissionId);
    if (!record || isTerminalStatus(record.status)) return;
    const message = describeJudgeJobFate(fate);
    await this.results.publish(
      // The try that last reported, so the stored attempt stays what it was.
      judgeFailedEvent({ submissionId, traceparent: traceparentFor(record.traceId), attempt: record.attempt ?? 1, message }),
    );
    this.logger.warn({ submissionId, was: record.status }, `submission failed: ${message}`);
  }

  private async flushLoop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await sleep(CURSOR_FLUSH_MS, undefined, { signal: this.stopping.signal, ref: false }).catch(() => undefined);
      await this.persistCursor().catch((error: Error) => this.logger.error(`saving the judge queue events cursor failed: ${error.message}`));
    }
  }

  private async persistCursor(): Promise<void> {
    const id = this.handledUpTo;
    if (id === null || id === this.persistedUpTo) return;
    await this.redis.advanceStreamCursor(this.keys.judgeJobEventsCursor, id);
    this.persistedUpTo = id;
  }

  /** BullMQ trims its events stream (about 10,000 entries): say so when some went unread. */
  private async warnIfTrimmedPast(cursor: string | null): Promise<void> {
    if (cursor === null) return;
    const [first] = await this.redis.xrange(this.queue.keys.events, '-', '+', 'COUNT', 1);
    if (first && compareStreamIds(first[0], cursor) > 0) {
      this.logger.warn(`judge queue events after ${cursor} up to ${first[0]} may have been trimmed unread; the sweep will find the submissions they concerned`);
    }
  }

  private sweepLoop(): Promise<void> {
    return sweepEvery(this.config.JOB_RECONCILE_INTERVAL_MS, this.stopping.signal, () => this.sweep(), (error) =>
      this.logger.error(`sweeping unfinished submissions failed: ${error.message}`),
    );
  }

  /** One pass over the submissions not seen finished: fails those whose job sealed its fate on two passes in a row. */
  async sweep(): Promise<void> {
    let cursor = '0';
    try {
      do {
        const page = await this.store.scanOpen(cursor);
        cursor = page.cursor;
        const finished = await Promise.all(page.ids.map((id) => this.sweepOne(id)));
        await this.store.forgetOpen(page.ids.filter((_, i) => finished[i]));
      } while (cursor !== '0' && !this.stopping.signal.aborted);
    } finally {
      this.observations.endPass();
    }
  }

  /** True when the submission is finished (or expired): it leaves the index. */
  private async sweepOne(id: string): Promise<boolean> {
    const record = await this.store.statusOf(id);
    if (!record || isTerminalStatus(record.status)) return true;
    // Through the JobQueue: a job waiting its tenant's turn is not in BullMQ yet, and not lost.
    const { state, failedReason } = await this.jobs.inspect(id);
    const fate = fateOfJobState(state, failedReason);
    if (fate && this.observations.confirm(id, fate)) await this.fail(id, fate);
    return false;
  }
}

/** A traceparent joining the submission's trace (a new span of it), so the failure shows where it belongs. */
function traceparentFor(traceId: string): string {
  const trace = /^[0-9a-f]{32}$/.test(traceId) ? traceId : randomBytes(16).toString('hex');
  return `00-${trace}-${randomBytes(8).toString('hex')}-01`;
}
