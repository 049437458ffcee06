import { Injectable } from '@nestjs/common';
import { RedisConfig } from '@verdict/config';

/**
 * Every Redis key Verdict uses, in one place. The prefix is wrapped in a hash tag so that on a Redis
 * Cluster all of one deployment's keys share a slot: BullMQ's scripts and our apply-event script touch
 * several keys at once, which a cluster allows only within one slot.
 */
@Injectable()
export class RedisKeys {
  readonly prefix: string;

  constructor(config: RedisConfig) {
    this.prefix = `{${config.VERDICT_KEY_PREFIX}}`;
  }

  /** BullMQ's own prefix: queue keys are `<prefix>:<queue>:...`. */
  get bullPrefix(): string {
    return this.prefix;
  }

  submission(id: string): string {
    return `${this.prefix}:submission:${id}`;
  }

  /**
   * Ids of submissions that may not be finished yet, scored by when their current judging was queued
   * (creation, or the rejudge; a sorted set): what the judge-job reconciler and the queue-age sweep
   * read. Finished or expired submissions are dropped by the reconciler's sweep; the queue-age sweep
   * drops those it expires.
   */
  get openSubmissions(): string {
    return `${this.prefix}:open-submissions`;
  }

  /**
   * Submissions the queue-age sweep has ended as "expired in queue" whose SubmissionFinished has
   * not been announced yet (a sorted set: each member the announcement, scored by when another
   * sweep may claim it; the one that expired it holds it first). An announcement cut short by a
   * crash stays here until a later sweep makes it.
   */
  get unannouncedQueueExpiries(): string {
    return `${this.prefix}:queue-expiries:unannounced`;
  }

  /** Every submission id, scored by creation time (a sorted set, pruned of expired ids when listed): GET /v1/submissions. */
  get submissionIndex(): string {
    return `${this.prefix}:submissions`;
  }

  /** A tenant's submissions by creation time (its listings). */
  tenantSubmissions(tenantId: string): string {
    return `${this.prefix}:tenant:${tenantId}:submissions`;
  }

  /** Ids of the submissions against one problem, scored by creation time (pruned when read): listings and rejudges. */
  problemSubmissions(problemId: string): string {
    return `${this.prefix}:problem:${problemId}:submissions`;
  }

  /** A batch's record (a hash: kind, label, total, timestamps, callback). */
  batch(id: string): string {
    return `${this.prefix}:batch:${id}`;
  }

  /** A batch's submission ids in batch order (a list). */
  batchMembers(id: string): string {
    return `${this.prefix}:batch:${id}:members`;
  }

  /** The members of a batch seen final (a set): its size against the total says when the batch is done. */
  batchFinished(id: string): string {
    return `${this.prefix}:batch:${id}:finished`;
  }

  /** Id of the last entry of BullMQ's events stream of the judge queue that the API has handled. */
  get judgeJobEventsCursor(): string {
    return `${this.prefix}:judge-job-events:cursor`;
  }

  /** One webhook event's delivery record (a hash: the event, its URL, state and run). */
  webhookDelivery(eventId: string): string {
    return `${this.prefix}:webhook-delivery:${eventId}`;
  }

  /** Every try of one webhook event's delivery, oldest first (a list of JSON). */
  webhookDeliveryAttempts(eventId: string): string {
    return `${this.prefix}:webhook-delivery:${eventId}:attempts`;
  }

  /** Ids of the webhook events of one subject (e.g. `submission:<id>`), scored by creation time (a sorted set). */
  webhookEventsOf(subject: string): string {
    return `${this.prefix}:webhook-events:${subject}`;
  }

  /**
   * Ids of the webhook events whose delivery is pending, scored by when it became so (a sorted set):
   * what the webhook delivery reconciler sweeps. A delivery leaves it when it ends; the sweep drops
   * what it finds ended or expired.
   */
  get webhookPendingDeliveries(): string {
    return `${this.prefix}:webhook-deliveries:pending`;
  }

  /**
   * Pub/sub channel on which the API replica that applies a result event names its submission, so
   * every replica can wake the live-progress streams and bounded waits it serves for it.
   */
  get submissionUpdates(): string {
    return `${this.prefix}:submission-updates`;
  }

  idempotency(key: string): string {
    return `${this.prefix}:idempotency:${key}`;
  }

  get resultStream(): string {
    return `${this.prefix}:results`;
  }

  /** Stream entries that could not be decoded or applied, kept with the reason for inspection. */
  get resultDeadLetters(): string {
    return `${this.prefix}:results:dead`;
  }

  /** Hash: language id -> the version a worker read from its runtime image (JSON). */
  get languageVersions(): string {
    return `${this.prefix}:languages:versions`;
  }

  /** A problem's metadata (title, tags, difficulty, latest version): one hash. */
  problem(id: string): string {
    return `${this.prefix}:problem:${id}`;
  }

  /** One immutable version of a problem (JSON). */
  problemVersion(id: string, version: number): string {
    return `${this.prefix}:problem:${id}:version:${version}`;
  }

  /** Hashes of the test data any version of a problem references (a set). */
  problemData(id: string): string {
    return `${this.prefix}:problem:${id}:data`;
  }

  /** Every problem id, scored by creation time (a sorted set). */
  get problemIndex(): string {
    return `${this.prefix}:problems`;
  }

  /** The problems a tenant owns (created with one of its keys), scored by creation time (a sorted set). */
  tenantProblems(tenantId: string): string {
    return `${this.prefix}:tenant:${tenantId}:problems`;
  }

  /** The problems an admin shares read-only with every tenant, scored by creation time (a sorted set). */
  get sharedProblemIndex(): string {
    return `${this.prefix}:problems:shared`;
  }

  /** Content-addressed test data (inputs, answers, checker and interactor sources): the bytes, by SHA-256. */
  testData(sha256: string): string {
    return `${this.prefix}:test-data:${sha256}`;
  }

  /** Ids of the problems that reference a piece of test data (a set); data nobody references expires. */
  testDataRefs(sha256: string): string {
    return `${this.prefix}:test-data:${sha256}:refs`;
  }

  /** A tenant's record (a hash: id, name, createdAt, weight, and its webhook secrets as JSON, newest first). */
  tenant(id: string): string {
    return `${this.prefix}:tenant:${id}`;
  }

  /** Every tenant id, scored by creation time (a sorted set). */
  get tenantIndex(): string {
    return `${this.prefix}:tenants`;
  }

  /** The public prefixes of a tenant's API keys, scored by creation time (a sorted set); deleted with the tenant. */
  tenantApiKeys(tenantId: string): string {
    return `${this.prefix}:tenant:${tenantId}:api-keys`;
  }

  /** The public prefixes of the admin API keys stored in Redis (no tenant), scored by creation time (a sorted set). */
  get adminApiKeys(): string {
    return `${this.prefix}:admin-api-keys`;
  }

  /** One API key by its public prefix (a hash: the key's SHA-256, tenant, scopes, times); never the key itself. */
  apiKey(prefix: string): string {
    return `${this.prefix}:api-key:${prefix}`;
  }

  /** Set once, by the one bootstrap of an admin key (the prefix of the key it made); never removed. */
  get adminKeyBootstrapped(): string {
    return `${this.prefix}:admin-api-keys:bootstrapped`;
  }

  /**
   * The HMAC key of live-progress tokens when PROGRESS_TOKEN_SECRET is unset (a string, made once
   * by whichever replica needs it first, never expiring): one key for every replica.
   */
  get progressTokenSecret(): string {
    return `${this.prefix}:progress-token-secret`;
  }

  /**
   * Prefix of one rate-limit policy's counters (e.g. `api-key`): rate-limiter-flexible appends
   * `:<subject>` (an API key's prefix), each counter a string expiring with its window.
   */
  rateLimit(policy: string): string {
    return `${this.prefix}:rate-limit:${policy}`;
  }
}
