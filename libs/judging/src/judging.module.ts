import { Module } from '@nestjs/common';
import { LanguagesModule } from '@verdict/languages';
import { ResultStreamPublisherModule } from '@verdict/results';
import { SandboxModule } from '@verdict/sandbox';
import { JudgeSubmission } from './judge-submission';
import { PrepareJudging } from './prepare-judging';
import { RunJudgeJob } from './run-judge-job';
import { InlineTestDataSource, TestDataSource } from './test-data-source';

@Module({
  imports: [LanguagesModule, SandboxModule, ResultStreamPublisherModule],
  providers: [JudgeSubmission, RunJudgeJob, PrepareJudging, { provide: TestDataSource, useClass: InlineTestDataSource }],
  exports: [JudgeSubmission, RunJudgeJob, PrepareJudging],
})
export class JudgingModule {}
