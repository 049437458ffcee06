import { Module } from '@nestjs/common';
import { LanguagesModule } from '@verdict/languages';
import { RedisModule } from '@verdict/redis';
import { CreateProblem } from './create-problem';
import { CreateProblemVersion } from './create-problem-version';
import { DeleteProblem } from './delete-problem';
import { GetProblem } from './get-problem';
import { GetProblemTemplate } from './get-problem-template';
import { ListProblems } from './list-problems';
import { ProblemPackagePolicy } from './problem-package-policy';
import { ProblemStore } from './problem-store';
import { SetProblemSharing } from './set-problem-sharing';

/** The problem store alone, for whoever only reads problems (accepting submissions). Needs ProblemsConfig. */
@Module({
  imports: [RedisModule],
  providers: [ProblemStore],
  exports: [ProblemStore],
})
export class ProblemStoreModule {}

/** The API's problem use cases. Needs ProblemsConfig, SubmissionPolicyConfig and LanguagesConfig. */
@Module({
  imports: [ProblemStoreModule, LanguagesModule],
  providers: [ProblemPackagePolicy, CreateProblem, CreateProblemVersion, GetProblem, ListProblems, DeleteProblem, GetProblemTemplate, SetProblemSharing],
  exports: [CreateProblem, CreateProblemVersion, GetProblem, ListProblems, DeleteProblem, GetProblemTemplate, SetProblemSharing, ProblemPackagePolicy],
})
export class ProblemsModule {}
