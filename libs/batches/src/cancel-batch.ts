import { Requester } from '@verdict/contracts';
import { Injectable } from '@nestjs/common';
import { CancelSubmission } from '@verdict/submissions';
import { BatchNotFoundError } from './batch-errors';
import { BatchStore } from './batch-store';

/** Members cancelled at once: enough to keep Redis busy, few enough not to flood it. */
const CONCURRENCY = 50;

/**
 * DELETE /v1/batches/:id: cancels every member that has not started (CancelSubmission, one member at
 * a time per lane); running members finish. Cancelled members count as finished for the batch.
 */
@Injectable()
export class CancelBatch {
  constructor(
    private readonly batches: BatchStore,
    private readonly cancelSubmission: CancelSubmission,
  ) {}

  async execute(id: string, requester: Requester): Promise<{ cancelled: number }> {
    if (!(await this.batches.getFor(id, requester))) throw new BatchNotFoundError();
    const members = await this.batches.members(id);
    let next = 0;
    let cancelled = 0;
    const lane = async (): Promise<void> => {
      while (next < members.length) {
        if ((await this.cancelSubmission.execute(members[next++], requester)) === 'cancelled') cancelled++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, members.length) }, lane));
    return { cancelled };
  }
}
