/** The name `BatchFinished` is announced under on the API's in-process event bus. */
export const BATCH_FINISHED = 'batch.finished';

/**
 * Every member of a batch is final (completed, failed or cancelled). Announced in-process for what
 * follows (the `batch.completed` webhook). At least once: any announcement of a member's final state
 * after the batch is complete announces it again, with the same `finishedAt`, so a subscriber keys
 * its work by `batchId`.
 */
export interface BatchFinished {
  batchId: string;
  total: number;
  /** When the last member became final, as recorded the first time. */
  finishedAt: string;
  /** Where the batch's `batch.completed` webhook goes, if anywhere. */
  callbackUrl: string | null;
  /** The batch's trace, for its webhook (null: a batch stored before it was kept). */
  traceparent: string | null;
}
