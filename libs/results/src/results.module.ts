import { Module } from '@nestjs/common';
import { RedisModule } from '@verdict/redis';
import { JudgeJobReconciler } from './judge-job.reconciler';
import { ResultStreamConsumer } from './result-stream.consumer';
import { ResultStreamPublisher } from './result-stream.publisher';
import { SubmissionStore } from './submission-store';

/** The worker's side: appending result events. */
@Module({
  imports: [RedisModule],
  providers: [ResultStreamPublisher],
  exports: [ResultStreamPublisher],
})
export class ResultStreamPublisherModule {}

/** The API's side: the submission store. */
@Module({
  imports: [RedisModule],
  providers: [SubmissionStore],
  exports: [SubmissionStore],
})
export class SubmissionStoreModule {}

/** The API's reader of the result stream, started with the app; it writes into the store. */
@Module({
  imports: [SubmissionStoreModule, RedisModule],
  providers: [ResultStreamConsumer],
  exports: [ResultStreamConsumer],
})
export class ResultStreamConsumerModule {}

/**
 * The API's closer of submissions whose judge job will never report (failed by BullMQ, removed,
 * vanished), started with the app. Needs JudgeQueueConfig, RedisConfig and ResultStreamConfig.
 */
@Module({
  imports: [SubmissionStoreModule, ResultStreamPublisherModule, RedisModule],
  providers: [JudgeJobReconciler],
  exports: [JudgeJobReconciler],
})
export class JudgeJobReconcilerModule {}
