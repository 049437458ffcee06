import { Injectable } from '@nestjs/common';
import { JudgeQueueConfig } from '@verdict/config';
import { DomainError, JudgeJobPayload, Requester } from '@verdict/contracts';
import { FairBacklog, InjectJobQueue, JUDGE_ITSELF_GROUP, JUDGE_QUEUE, JobQueue } from '@verdict/job-queues';
import { TenantQuotas } from '@verdict/tenants';

/** New work refused because a backlog is full: 429 with a Retry-After from the drain rate. */
export class JudgeBacklogFullError extends DomainError {
  readonly kind = 'rate-limited';

  constructor(message: string, override readonly retryAfterSeconds: number) {
    super(`${message}; retry in ${retryAfterSeconds} s`);
  }
}

/**
 * Admission control for judge work, before anything is stored: a tenant may have at most its
 * maxQueued submissions waiting their turn, and all tenants together JUDGE_BACKLOG_LIMIT. Work
 * that would pass a bound is refused as a whole, with the time the excess takes to drain at the
 * last minute's rate (ADMISSION_RETRY_AFTER_MAX_SECONDS when nothing drained). The bounds are
 * read, then the work is stored: requests at the same instant may pass a bound by their own size.
 */
@Injectable()
export class JudgeAdmission {
  constructor(
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly quotas: TenantQuotas,
    private readonly config: JudgeQueueConfig,
  ) {}

  /** Throws JudgeBacklogFullError when `count` more submissions of the requester's would pass a bound. */
  async admit(requester: Requester, count: number): Promise<void> {
    const [backlog, quotas] = await Promise.all([this.queue.backlog(requester.tenantId ?? JUDGE_ITSELF_GROUP), this.quotas.for(requester.tenantId)]);
    const own = backlog.group + count - quotas.maxQueued;
    if (own > 0) {
      const whose = requester.tenantId === null ? "the admins' work" : `tenant ${requester.tenantId}`;
      throw new JudgeBacklogFullError(`${whose} has ${backlog.group} submissions waiting and may have at most ${quotas.maxQueued} (its maxQueued quota); ${count} more would pass it`, this.retryAfter(own, backlog));
    }
    const all = backlog.total + count - this.config.JUDGE_BACKLOG_LIMIT;
    if (all > 0) {
      throw new JudgeBacklogFullError(`the judge has ${backlog.total} submissions waiting and takes at most ${this.config.JUDGE_BACKLOG_LIMIT} (JUDGE_BACKLOG_LIMIT); ${count} more would pass it`, this.retryAfter(all, backlog));
    }
  }

  private retryAfter(excess: number, backlog: FairBacklog): number {
    const most = this.config.ADMISSION_RETRY_AFTER_MAX_SECONDS;
    if (backlog.drainedPerSecond <= 0) return most;
    return Math.min(most, Math.max(1, Math.ceil(excess / backlog.drainedPerSecond)));
  }
}
