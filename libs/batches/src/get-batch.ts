import { Injectable } from '@nestjs/common';
import { BatchView, Requester, SUBMISSION_STATUSES, SubmissionStatus, Verdict, isTerminalStatus } from '@verdict/contracts';
import { SubmissionStore } from '@verdict/submissions';
import { BatchNotFoundError } from './batch-errors';
import { BatchStore } from './batch-store';

/**
 * GET /v1/batches/:id: counts by status and verdict from the members' current fields (pipelined
 * HMGETs, no results read: about 10,000 small reads for the largest batch), progress and timestamps.
 * A member that expired counts as neither.
 */
@Injectable()
export class GetBatch {
  constructor(
    private readonly batches: BatchStore,
    private readonly submissions: SubmissionStore,
  ) {}

  async execute(id: string, requester: Requester): Promise<BatchView> {
    const batch = await this.batches.getFor(id, requester);
    if (!batch) throw new BatchNotFoundError();
    const statuses = Object.fromEntries(SUBMISSION_STATUSES.map((status) => [status, 0])) as Record<SubmissionStatus, number>;
    const verdicts: Partial<Record<Verdict, number>> = {};
    let finished = 0;
    for (const summary of await this.submissions.summaries(await this.batches.members(id))) {
      if (!summary) continue;
      statuses[summary.status]++;
      if (summary.verdict) verdicts[summary.verdict] = (verdicts[summary.verdict] ?? 0) + 1;
      if (isTerminalStatus(summary.status)) finished++;
    }
    return {
      id,
      kind: batch.kind,
      label: batch.label,
      total: batch.total,
      statuses,
      verdicts,
      finished,
      progress: batch.total === 0 ? 1 : finished / batch.total,
      problemId: batch.problemId,
      tenantId: batch.tenantId,
      createdAt: batch.createdAt,
      finishedAt: batch.finishedAt,
    };
  }
}
