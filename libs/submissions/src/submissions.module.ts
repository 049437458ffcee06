import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SUBMISSION_QUEUE } from '@verdict/contracts';
import { LanguagesModule } from '@verdict/languages';
import { ProblemStoreModule } from '@verdict/problems';
import { SubmissionStoreModule } from '@verdict/results';
import { CreateSubmission } from './create-submission';
import { ProblemJobPlanner } from './problem-job-planner';
import { SubmissionPolicy } from './submission-policy';
import { SubmissionQueue } from './submission.queue';

@Module({
  imports: [BullModule.registerQueue({ name: SUBMISSION_QUEUE }), LanguagesModule, SubmissionStoreModule, ProblemStoreModule],
  providers: [SubmissionPolicy, SubmissionQueue, ProblemJobPlanner, CreateSubmission],
  exports: [CreateSubmission, SubmissionPolicy],
})
export class SubmissionsModule {}
