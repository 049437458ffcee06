import { Injectable } from '@nestjs/common';
import { BatchAccepted, BatchResultsPage, CreateBatchDto, Requester } from '@verdict/contracts';
import { WaitForResult } from '@verdict/submissions';
import { BatchRejectedError } from './batch-errors';
import { BatchStore } from './batch-store';
import { CreateBatch } from './create-batch';
import { GetBatchResults } from './get-batch-results';

/**
 * POST /v1/batches?wait=true, for a batch of one submission (platforms that send everything as
 * batches): accepts it, then waits as POST /v1/submissions?wait=true does (WaitForResult, bounded by
 * SUBMISSION_WAIT_MAX_MS). Judged in time: the batch's results page, as GET /v1/batches/:id/results
 * shows it; else what POST answers without waiting. A larger batch is refused before anything is
 * accepted: one wait per request cannot stand for thousands of results.
 */
@Injectable()
export class CreateBatchAndWait {
  constructor(
    private readonly createBatch: CreateBatch,
    private readonly batches: BatchStore,
    private readonly waitForResult: WaitForResult,
    private readonly results: GetBatchResults,
  ) {}

  async execute(request: CreateBatchDto, requester: Requester): Promise<{ accepted: BatchAccepted; results: BatchResultsPage | null }> {
    if (request.submissions.length !== 1) {
      throw new BatchRejectedError({
        field: 'wait',
        message: `wait=true takes a batch of one submission (this one has ${request.submissions.length}); follow a larger batch with GET /v1/batches/:id or its batch.completed webhook`,
      });
    }
    const accepted = await this.createBatch.execute(request, requester);
    const [member] = await this.batches.members(accepted.id, 0, 1);
    const judged = member !== undefined && (await this.waitForResult.execute(member)) !== null;
    return { accepted, results: judged ? await this.results.execute(accepted.id, requester, undefined) : null };
  }
}
