import { Inject, Injectable } from '@nestjs/common';
import { SUBMISSION_STATUSES, SubmissionStatus, isTerminalStatus } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';

/**
 * Whether a judge job's submission is final already, before a worker spends a sandbox on it: one
 * that expired in the queue (or was cancelled) just before the API removed its job, or whose final
 * result a crashed try stored before its job was retried. Reads one field, `status`, of the
 * submission's record (owned by `@verdict/submissions`; its values are the contract's
 * `SubmissionStatus`, and terminal ones never change), nothing else of it.
 *
 * Only a shortcut: a submission that becomes final after the check (expired while being judged)
 * still has every event of the job applied as stale by the API's store, which is what keeps results
 * out of a final record.
 */
@Injectable()
export class FinishedSubmissions {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** The submission's status when it is final (completed, failed, cancelled); null while it is open, or unknown. */
  async finalStatusOf(submissionId: string): Promise<SubmissionStatus | null> {
    const status = await this.redis.hget(this.keys.submission(submissionId), 'status');
    if (status === null || !(SUBMISSION_STATUSES as readonly string[]).includes(status)) return null;
    return isTerminalStatus(status as SubmissionStatus) ? (status as SubmissionStatus) : null;
  }
}
