import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SUBMISSION_QUEUE } from '@verdict/contracts';
import { LanguagesModule } from '@verdict/languages';
import { SubmissionStoreModule } from '@verdict/results';
import { CreateSubmission } from './create-submission';
import { SubmissionPolicy } from './submission-policy';
import { SubmissionQueue } from './submission.queue';

@Module({
  imports: [BullModule.registerQueue({ name: SUBMISSION_QUEUE }), LanguagesModule, SubmissionStoreModule],
  providers: [SubmissionPolicy, SubmissionQueue, CreateSubmission],
  exports: [CreateSubmission, SubmissionPolicy],
})
export class SubmissionsModule {}
