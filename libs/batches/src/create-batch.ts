import { Injectable, Logger } from '@nestjs/common';
import { SubmissionPolicyConfig, WebhookSigningConfig } from '@verdict/config';
import { BatchAccepted, BatchLane, CreateBatchDto, DomainError, FieldError, JudgeJobPayload, Requester } from '@verdict/contracts';
import { JUDGE_QUEUE, InjectJobQueue, JobQueue } from '@verdict/job-queues';
import { SubmissionMetrics } from '@verdict/metrics';
import { JudgeAdmission, PreparedSubmission, SubmissionPlanner, SubmissionStore, checkLaneAllowed, publishBatchJudgeJobs } from '@verdict/submissions';
import { traceIdOf, traceparentForCurrentContext } from '@verdict/telemetry';
import { TenantQuotas } from '@verdict/tenants';
import { randomUUID } from 'node:crypto';
import { BatchRejectedError } from './batch-errors';
import { BatchStore } from './batch-store';

/** Submissions stored, then queued, per step (see storeAndEnqueue). */
const CHUNK = 1000;

/**
 * Accepts a batch whole or refuses it whole: every item is checked and planned as a single
 * submission would be (SubmissionPlanner), each problem named by the item's index, its lane one its
 * key allows (LaneNotAllowedError, 403); then every
 * submission is stored (pipelined), the batch recorded, and the judge jobs queued in bulk. A failure
 * part way undoes what was written, so a refused or failed batch leaves nothing behind.
 */
@Injectable()
export class CreateBatch {
  private readonly logger = new Logger(CreateBatch.name);

  constructor(
    private readonly planner: SubmissionPlanner,
    private readonly submissions: SubmissionStore,
    private readonly batches: BatchStore,
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly policy: SubmissionPolicyConfig,
    private readonly webhooks: WebhookSigningConfig,
    private readonly quotas: TenantQuotas,
    private readonly admission: JudgeAdmission,
    private readonly metrics: SubmissionMetrics,
  ) {}

  async execute(request: CreateBatchDto, requester: Requester): Promise<BatchAccepted> {
    // The batch's lane, named or the default, must be one its key allows: else refused whole (403).
    const lane = request.lane ?? 'practice';
    checkLaneAllowed(requester, request.lane, { lane, defaultOf: 'a batch' });
    // The smaller of the global bound and the tenant's quota, named in the refusal.
    const { maxBatchSize } = await this.quotas.for(requester.tenantId);
    const max = Math.min(this.policy.MAX_BATCH_SIZE, maxBatchSize);
    if (request.submissions.length > max) {
      const bound = max < this.policy.MAX_BATCH_SIZE ? "the tenant's maxBatchSize quota" : 'MAX_BATCH_SIZE';
      throw new BatchRejectedError({ field: 'submissions', message: `submissions must contain at most ${max} items (${bound}; got ${request.submissions.length})` });
    }
    const unsignable = request.callbackUrl === undefined ? null : this.webhooks.cannotSignFor(requester.tenantId);
    if (unsignable !== null) throw new BatchRejectedError({ field: 'callbackUrl', message: unsignable });
    const id = randomUUID();
    const prepared = await this.prepareAll(request, requester, id, lane);
    await this.admission.admit(requester, prepared.length);
    const ids = prepared.map((p) => p.record.id);
    // The batch's own trace: its request's (members have theirs, linked to it).
    const traceparent = traceparentForCurrentContext();
    try {
      await this.batches.create(
        { id, kind: 'batch', label: request.label ?? null, total: ids.length, problemId: null, callbackUrl: request.callbackUrl ?? null, tenantId: requester.tenantId, createdAt: new Date().toISOString(), traceparent },
        ids,
      );
      await publishBatchJudgeJobs(id, prepared.map((p) => p.job), () => this.storeAndEnqueue(prepared));
    } catch (error) {
      await this.undo(id, ids);
      throw error;
    }
    const traceId = traceIdOf(traceparent);
    this.metrics.accepted(lane, ids.length);
    this.logger.log({ batchId: id, traceId, total: ids.length }, 'batch queued');
    return { id, status: 'queued', total: ids.length, traceId };
  }

  /** Every item planned, or a BatchRejectedError naming every problem of every bad item. */
  private async prepareAll(request: CreateBatchDto, requester: Requester, batchId: string, lane: BatchLane): Promise<PreparedSubmission[]> {
    // Items are planned concurrently: each item's problems are kept at its index, then listed in order.
    const problemsAt: FieldError[][] = [];
    const results = await Promise.all(
      request.submissions.map((item, index) =>
        this.planner.prepare(item, requester, { id: batchId, lane }).catch((error: unknown) => {
          if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
          const at = `submissions[${index}]`;
          problemsAt[index] = error.problems.map((p) => ({ field: p.field ? `${at}.${p.field}` : at, message: `${at}.${p.message}` }));
          return null;
        }),
      ),
    );
    const problems = problemsAt.flat();
    if (problems.length > 0) throw new BatchRejectedError(problems);
    return results as PreparedSubmission[];
  }

  /**
   * Each chunk's submissions are stored before their jobs are queued (a worker must find the record),
   * and a chunk's jobs are queued while the next chunk is stored: Redis runs one connection's scripts
   * while this process encodes the other's, which took a fifth off a 10,000-submission batch.
   */
  private async storeAndEnqueue(prepared: PreparedSubmission[]): Promise<void> {
    let queued: Promise<void> = Promise.resolve();
    try {
      for (let start = 0; start < prepared.length; start += CHUNK) {
        const chunk = prepared.slice(start, start + CHUNK);
        await this.submissions.createMany(chunk.map((p) => p.record));
        queued = queued.then(() => this.queue.enqueueMany(chunk.map((p) => p.job)));
      }
    } finally {
      // Settled before the caller undoes anything, so no job is added after the undo.
      await queued.catch(() => undefined);
    }
    await queued;
  }

  private async undo(batchId: string, ids: string[]): Promise<void> {
    await Promise.all([
      this.submissions.discardMany(ids),
      this.batches.discard(batchId),
      ...ids.map((jobId) => this.queue.removeUnstarted(jobId)),
    ]).catch((error: Error) => this.logger.error(`undoing batch ${batchId} failed: ${error.message}`));
  }
}
