import { Injectable } from '@nestjs/common';
import { JudgeQueueConfig } from '@verdict/config';
import { DomainError, JudgeJobPayload, Requester } from '@verdict/contracts';
import { BacklogBoundError, InjectJobQueue, JUDGE_ITSELF_GROUP, JUDGE_QUEUE, JobQueue } from '@verdict/job-queues';
import { SubmissionMetrics } from '@verdict/metrics';
import { TenantQuotas } from '@verdict/tenants';

/** New work refused because a backlog is full: 429 with a Retry-After from the drain rate. */
export class JudgeBacklogFullError extends DomainError {
  readonly kind = 'rate-limited';

  constructor(message: string, override readonly retryAfterSeconds: number) {
    super(`${message}; retry in ${retryAfterSeconds} s`);
  }
}

/**
 * Admission control for judge work: a tenant may have at most its maxQueued submissions waiting
 * their turn, and all tenants together JUDGE_BACKLOG_LIMIT. Work that would pass a bound is refused
 * as a whole, with the time the excess takes to drain at the last minute's rate
 * (ADMISSION_RETRY_AFTER_MAX_SECONDS when nothing drained). A single submission is checked in the
 * step that stages its job (`enqueue`), so concurrent requests cannot pass a bound together; a batch
 * is checked before anything of it is stored (`admit`), so batches at the same instant may pass a
 * bound by their own size.
 */
@Injectable()
export class JudgeAdmission {
  constructor(
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly quotas: TenantQuotas,
    private readonly config: JudgeQueueConfig,
    private readonly metrics: SubmissionMetrics,
  ) {}

  /** Enqueues the requester's judge job (an accepted submission), or throws JudgeBacklogFullError (nothing enqueued) when it would pass a bound. */
  async enqueue(requester: Requester, job: JudgeJobPayload): Promise<void> {
    const { maxQueued } = await this.quotas.for(requester.tenantId);
    try {
      await this.queue.enqueue(job, { bound: { groupMost: maxQueued, totalMost: this.config.JUDGE_BACKLOG_LIMIT } });
      this.metrics.accepted(job.lane);
    } catch (error) {
      if (!(error instanceof BacklogBoundError)) throw error;
      // Read only when refusing: accepting costs no more than staging.
      const { drainedPerSecond } = await this.queue.backlog(groupOf(requester));
      throw this.refusal(requester, { bound: error.bound, ...error.backlog, count: 1, maxQueued, drainedPerSecond });
    }
  }

  /** Throws JudgeBacklogFullError when `count` more submissions of the requester's would pass a bound. */
  async admit(requester: Requester, count: number): Promise<void> {
    const [backlog, { maxQueued }] = await Promise.all([this.queue.backlog(groupOf(requester)), this.quotas.for(requester.tenantId)]);
    const bound = backlog.group + count > maxQueued ? 'group' : backlog.total + count > this.config.JUDGE_BACKLOG_LIMIT ? 'total' : null;
    if (bound !== null) throw this.refusal(requester, { bound, ...backlog, count, maxQueued });
  }

  private refusal(requester: Requester, r: { bound: 'group' | 'total'; group: number; total: number; count: number; maxQueued: number; drainedPerSecond: number }): JudgeBacklogFullError {
    this.metrics.admissionRefused(requester.tenantId, r.bound);
    if (r.bound === 'group') {
      const whose = requester.tenantId === null ? "the admins' work" : `tenant ${requester.tenantId}`;
      return new JudgeBacklogFullError(
        `${whose} has ${r.group} submissions waiting and may have at most ${r.maxQueued} (its maxQueued quota); ${r.count} more would pass it`,
        this.retryAfter(r.group + r.count - r.maxQueued, r.drainedPerSecond),
      );
    }
    const limit = this.config.JUDGE_BACKLOG_LIMIT;
    return new JudgeBacklogFullError(
      `the judge has ${r.total} submissions waiting and takes at most ${limit} (JUDGE_BACKLOG_LIMIT); ${r.count} more would pass it`,
      this.retryAfter(r.total + r.count - limit, r.drainedPerSecond),
    );
  }

  private retryAfter(excess: number, drainedPerSecond: number): number {
    const most = this.config.ADMISSION_RETRY_AFTER_MAX_SECONDS;
    if (drainedPerSecond <= 0) return most;
    return Math.min(most, Math.max(1, Math.ceil(excess / drainedPerSecond)));
  }
}

/** The fair queue's group of the requester's judge jobs (as JUDGE_QUEUE's declaration groups them). */
function groupOf(requester: Requester): string {
  return requester.tenantId ?? JUDGE_ITSELF_GROUP;
}
