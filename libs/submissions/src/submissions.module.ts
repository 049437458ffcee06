import { Module } from '@nestjs/common';
import { JUDGE_QUEUE, JobQueuesModule } from '@verdict/job-queues';
import { LanguagesModule } from '@verdict/languages';
import { ProblemStoreModule } from '@verdict/problems';
import { RedisModule } from '@verdict/redis';
import { ResultEventHandler, ResultStreamPublisherModule } from '@verdict/result-stream';
import { ProgressTokensModule, TenantQuotasModule } from '@verdict/tenants';
import { ApplyResultEvent } from './apply-result-event';
import { CreateSubmission } from './create-submission';
import { GetSubmission } from './get-submission';
import { JudgeAdmission } from './judge-admission';
import { JudgeJobReconciler } from './judge-job.reconciler';
import { JudgeQueueCensus } from './judge-queue-census';
import { ProblemJobPlanner } from './problem-job-planner';
import { SubmissionPolicy } from './submission-policy';
import { SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';
import { FollowSubmission } from './follow-submission';
import { IssueProgressToken } from './issue-progress-token';
import { WaitForResult } from './wait-for-result';
import { SubmissionPlanner } from './submission-planner';
import { CancelSubmission } from './cancel-submission';
import { ListSubmissions } from './list-submissions';
import { QueuedSubmissionExpiry } from './queued-submission-expiry';

/**
 * The submissions' records (Redis hashes) and the wake-ups when one changes: what every other part
 * of the submissions library uses.
 */
@Module({
  imports: [RedisModule],
  providers: [SubmissionStore, SubmissionUpdates],
  exports: [SubmissionStore, SubmissionUpdates],
})
export class SubmissionStoreModule {}

/**
 * Accepting submissions (policy, planning against a problem, storing, queueing), cancelling,
 * listing and following them (live progress, its tokens, bounded waits), and the judge queue's
 * gauges (JudgeQueueCensus). Needs an EventEmitterModule in the app, ApiKeysConfig (progress
 * tokens), and the API's metrics (MetricsModule, app 'api').
 */
@Module({
  imports: [JobQueuesModule.forProducers(JUDGE_QUEUE), LanguagesModule, SubmissionStoreModule, ProblemStoreModule, TenantQuotasModule, ProgressTokensModule],
  providers: [SubmissionPolicy, ProblemJobPlanner, SubmissionPlanner, JudgeAdmission, CreateSubmission, GetSubmission, CancelSubmission, ListSubmissions, FollowSubmission, IssueProgressToken, WaitForResult, JudgeQueueCensus],
  exports: [CreateSubmission, GetSubmission, SubmissionPolicy, SubmissionPlanner, JudgeAdmission, ProblemJobPlanner, CancelSubmission, ListSubmissions, FollowSubmission, IssueProgressToken, WaitForResult],
})
export class SubmissionsModule {}

/**
 * Results into records: the `ResultEventHandler` the API's result-stream consumer hands events to
 * (ApplyResultEvent). Needs an EventEmitterModule in the app, for SubmissionFinished.
 */
@Module({
  imports: [SubmissionStoreModule],
  providers: [ApplyResultEvent, { provide: ResultEventHandler, useExisting: ApplyResultEvent }],
  exports: [ResultEventHandler],
})
export class SubmissionResultsModule {}

/**
 * The API's closers of submissions that would otherwise never finish, started with the app:
 * JudgeJobReconciler (their judge job will never report: failed by BullMQ, removed, vanished) and
 * QueuedSubmissionExpiry (queued longer than MAX_QUEUE_AGE_SECONDS). Needs JudgeQueueConfig,
 * SubmissionPolicyConfig, RedisConfig and ResultStreamConfig, and an EventEmitterModule in the app.
 */
@Module({
  imports: [SubmissionStoreModule, ResultStreamPublisherModule, RedisModule, JobQueuesModule.forProducers(JUDGE_QUEUE)],
  providers: [JudgeJobReconciler, QueuedSubmissionExpiry],
  exports: [JudgeJobReconciler, QueuedSubmissionExpiry],
})
export class JudgeJobReconcilerModule {}
