import { Injectable, Logger } from '@nestjs/common';
import { CreateSubmissionDto, DomainError, Requester, SubmissionAccepted } from '@verdict/contracts';
import { createHash } from 'node:crypto';
import { JudgeAdmission } from './judge-admission';
import { publishJudgeJob } from './judge-job-tracing';
import { SubmissionPlanner } from './submission-planner';
import { IdempotencyClaim, SubmissionStore } from './submission-store';

/** An Idempotency-Key sent again with a different request: the first request's key, not a retry of it. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'unprocessable';

  constructor(key: string) {
    super({ field: 'idempotency-key', message: `Idempotency-Key "${key}" was already used for a different request; use a new key for a new submission` });
  }
}

/**
 * Accepts a submission: checks and plans it (SubmissionPlanner), stores it as queued for the
 * requester's tenant and enqueues its judge job if admitted (JudgeAdmission: the backlog bounds).
 * With an idempotency key (scoped to the tenant), a retried request returns the first one's
 * submission instead of judging the same code twice; the same key with a different request is refused.
 */
@Injectable()
export class CreateSubmission {
  private readonly logger = new Logger(CreateSubmission.name);

  constructor(
    private readonly planner: SubmissionPlanner,
    private readonly store: SubmissionStore,
    private readonly admission: JudgeAdmission,
  ) {}

  async execute(request: CreateSubmissionDto, requester: Requester, idempotencyKey?: string): Promise<SubmissionAccepted> {
    const { record, job } = await this.planner.prepare(request, requester);
    const claim = idempotencyKey === undefined ? undefined : idempotencyClaim(requester, idempotencyKey, request);
    const stored = await this.store.create(record, claim);
    if (!stored.created) {
      if (!stored.sameRequest) throw new IdempotencyKeyReusedError(idempotencyKey!);
      const existing = await this.store.statusOf(stored.id);
      return { id: stored.id, status: 'queued', traceId: existing?.traceId ?? '' };
    }
    try {
      // Admitted once the key is claimed: a retry of an accepted request gets its submission, full backlog or not.
      await publishJudgeJob(job, () => this.admission.enqueue(requester, job));
    } catch (error) {
      await this.store.discard(record, claim?.key).catch(() => undefined);
      throw error;
    }
    this.logger.log({ submissionId: record.id, tenantId: record.tenantId, traceId: record.traceId, language: record.language, tests: record.testCount, problem: record.problem }, 'submission queued');
    return { id: record.id, status: 'queued', traceId: record.traceId };
  }
}

/** The key within the requester's tenant (admins share one scope), and what tells a retry from another request. */
function idempotencyClaim(requester: Requester, key: string, request: CreateSubmissionDto): IdempotencyClaim {
  // Tenant ids never start with "-": the admins' scope cannot be a tenant's.
  const scope = requester.tenantId ?? '-admin';
  return { key: `${scope}:${key}`, fingerprint: createHash('sha256').update(JSON.stringify(request)).digest('base64url') };
}
