import { Injectable } from '@nestjs/common';
import { CreateSubmissionDto, JudgeJobPayload, Limits, Requester, ResultDisclosure, SubmissionView } from '@verdict/contracts';
import { FUNCTION_LANGUAGES } from '@verdict/function-problems';
import { LanguageDefinition } from '@verdict/languages';
import { ProblemRequestError, ProblemStore, buildJudgePlan, canSeeProblem, problemLimitsFor } from '@verdict/problems';
import { SubmissionRejectedError } from './submission-policy';

/** What a submission against a problem is judged with, and what its stored record says about it. */
export interface ProblemJob {
  job: Pick<JudgeJobPayload, 'kind' | 'tests' | 'limits' | 'checker' | 'scoring' | 'problem' | 'function' | 'interactor'>;
  limits: Limits;
  limitMultipliers: SubmissionView['limitMultipliers'];
  problem: { id: string; version: number };
  /** The problem's feedback level for hidden tests; its samples are public. */
  disclosure: ResultDisclosure;
}

/**
 * Resolves the problem version a submission names (its latest when none is given) and plans the job:
 * tests in run order as stored data references, the scoring plan of its subtasks (pretests only, if
 * asked), its checker, and the limits for the submission's language. Only a problem the requester
 * may see (its tenant's own, a shared one; an admin any): another is refused exactly as a problem
 * that does not exist, whatever version is named.
 */
@Injectable()
export class ProblemJobPlanner {
  constructor(private readonly problems: ProblemStore) {}

  async plan(request: CreateSubmissionDto & { problemId: string }, language: LanguageDefinition, requester: Requester): Promise<ProblemJob> {
    const access = await this.problems.access(request.problemId);
    const visible = access !== null && canSeeProblem(requester, access);
    const version = visible ? await this.problems.getVersion(request.problemId, request.problemVersion) : null;
    if (!version) {
      const latest = !visible || request.problemVersion === undefined ? null : await this.problems.getVersion(request.problemId);
      throw new SubmissionRejectedError(
        latest
          ? { field: 'problemVersion', message: `problemVersion: problem "${request.problemId}" has no version ${request.problemVersion} (latest: ${latest.version})` }
          : { field: 'problemId', message: `problemId: problem "${request.problemId}" not found` },
      );
    }
    if (version.kind === 'function' && !FUNCTION_LANGUAGES.includes(language.id)) {
      throw new SubmissionRejectedError({ field: 'language', message: `language: function problems cannot be solved in "${language.id}" (supported: ${FUNCTION_LANGUAGES.join(', ')})` });
    }
    let plan;
    try {
      plan = buildJudgePlan(version, { pretestsOnly: request.pretestsOnly ?? false });
    } catch (error) {
      if (error instanceof ProblemRequestError) {
        throw new SubmissionRejectedError({ field: 'pretestsOnly', message: `pretestsOnly: problem "${version.id}" version ${version.version} ${error.message}` });
      }
      throw error;
    }
    const { limits, multiplier } = problemLimitsFor(version, language);
    const problem = { id: version.id, version: version.version };
    const samples = new Set(version.tests.filter((test) => test.sample).map((test) => test.name));
    return {
      job: {
        kind: version.kind,
        tests: plan.tests,
        limits,
        checker: version.checker,
        scoring: plan.scoring,
        problem,
        ...(version.function ? { function: version.function } : {}),
        ...(version.interactor ? { interactor: version.interactor } : {}),
      },
      limits,
      limitMultipliers: multiplier,
      problem,
      disclosure: { level: version.feedback, publicTests: plan.tests.filter((test) => samples.has(test.name)).map((test) => test.index) },
    };
  }
}
