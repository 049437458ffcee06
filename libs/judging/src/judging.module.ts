import { Module } from '@nestjs/common';
import { LanguagesModule } from '@verdict/languages';
import { RedisModule } from '@verdict/redis';
import { ResultStreamPublisherModule } from '@verdict/result-stream';
import { SandboxModule } from '@verdict/sandbox';
import { FinishedSubmissions } from './finished-submissions';
import { JudgeSubmission } from './judge-submission';
import { OutputVerifiers } from './output-verifiers';
import { ProblemProgramBuilder } from './problem-program-builder';
import { SandboxSpecs } from './sandbox-specs';
import { LanguageSelfTest } from './language-self-test';
import { PrepareJudging } from './prepare-judging';
import { RunJudgeJob } from './run-judge-job';
import { ProgramRunner } from './program-runner';
import { RunSpecs } from './run-specs';
import { TestDataCache } from './test-data-cache';
import { TestDataSource } from './test-data-source';

@Module({
  imports: [LanguagesModule, SandboxModule, ResultStreamPublisherModule, RedisModule],
  providers: [
    JudgeSubmission,
    RunJudgeJob,
    FinishedSubmissions,
    PrepareJudging,
    LanguageSelfTest,
    SandboxSpecs,
    RunSpecs,
    ProgramRunner,
    OutputVerifiers,
    ProblemProgramBuilder,
    { provide: TestDataSource, useClass: TestDataCache },
  ],
  exports: [JudgeSubmission, RunJudgeJob, PrepareJudging],
})
export class JudgingModule {}
