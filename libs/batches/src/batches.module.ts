import { Module } from '@nestjs/common';
import { JUDGE_QUEUE, JobQueuesModule } from '@verdict/job-queues';
import { LanguagesModule } from '@verdict/languages';
import { ProblemStoreModule } from '@verdict/problems';
import { RedisModule } from '@verdict/redis';
import { SubmissionStoreModule, SubmissionsModule } from '@verdict/submissions';
import { TenantQuotasModule } from '@verdict/tenants';
import { BatchStore } from './batch-store';
import { CancelBatch } from './cancel-batch';
import { CreateBatch } from './create-batch';
import { CreateBatchAndWait } from './create-batch-and-wait';
import { GetBatch } from './get-batch';
import { GetBatchResults } from './get-batch-results';
import { RejudgeProblem } from './rejudge-problem';
import { TrackBatchCompletion } from './track-batch-completion';

/**
 * Batches and rejudges: accepting, reading, cancelling, and the completion tracker (a
 * SUBMISSION_FINISHED subscriber announcing BATCH_FINISHED). Needs an EventEmitterModule in the app.
 */
@Module({
  imports: [RedisModule, JobQueuesModule.forProducers(JUDGE_QUEUE), LanguagesModule, ProblemStoreModule, SubmissionStoreModule, SubmissionsModule, TenantQuotasModule],
  providers: [BatchStore, CreateBatch, CreateBatchAndWait, GetBatch, GetBatchResults, CancelBatch, RejudgeProblem, TrackBatchCompletion],
  exports: [BatchStore, CreateBatch, CreateBatchAndWait, GetBatch, GetBatchResults, CancelBatch, RejudgeProblem],
})
export class BatchesModule {}
