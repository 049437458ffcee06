import { Injectable } from '@nestjs/common';
import { WebhookSigningConfig } from '@verdict/config';
import { CreateSubmissionDto, DEFAULT_CHECKER, JudgeJobPayload, TestCaseDto, defaultScoringPlan } from '@verdict/contracts';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { traceIdOf, traceparentForCurrentContext } from '@verdict/telemetry';
import { randomUUID } from 'node:crypto';
import { ProblemJobPlanner } from './problem-job-planner';
import { SubmissionPolicy, SubmissionRejectedError } from './submission-policy';
import { NewSubmission } from './submission-store';

/** A submission checked and planned, not yet stored or queued: its record and its judge job. */
export interface PreparedSubmission {
  record: NewSubmission;
  job: JudgeJobPayload;
}

/** Everything about a submission that depends on where its tests come from (inline or a problem). */
interface PlannedSubmission {
  job: Omit<JudgeJobPayload, 'submissionId' | 'traceparent' | 'language' | 'source'>;
  record: Pick<NewSubmission, 'limits' | 'limitMultipliers' | 'problem' | 'testCount' | 'disclosure' | 'request'>;
}

/**
 * One submission request into what is stored and what is queued: the policy's checks, the job built
 * from inline tests or from the problem version it names, a new id and trace. Shared by single
 * submissions and by each item of a batch, so both accept exactly the same things.
 */
@Injectable()
export class SubmissionPlanner {
  constructor(
    private readonly policy: SubmissionPolicy,
    private readonly languages: LanguageCatalog,
    private readonly problems: ProblemJobPlanner,
    private readonly webhooks: WebhookSigningConfig,
  ) {}

  /** Throws SubmissionRejectedError naming every problem of the request. */
  async prepare(request: CreateSubmissionDto, batchId: string | null = null): Promise<PreparedSubmission> {
    // A callback this judge cannot sign would never be sent: refused now rather than dropped later.
    if (request.callbackUrl !== undefined && !this.webhooks.webhooksEnabled()) {
      throw new SubmissionRejectedError({ field: 'callbackUrl', message: 'callbackUrl: this judge sends no webhooks (WEBHOOK_SECRET is not set)' });
    }
    const planned = request.problemId != null ? await this.againstProblem(request as CreateSubmissionDto & { problemId: string }) : this.withInlineTests(request);
    const traceparent = traceparentForCurrentContext();
    const id = randomUUID();
    return {
      record: {
        id,
        language: request.language,
        traceId: traceIdOf(traceparent),
        createdAt: new Date().toISOString(),
        callbackUrl: request.callbackUrl ?? null,
        batchId,
        ...planned.record,
      },
      // The job carries everything the worker needs, so judging never waits on another lookup.
      job: { submissionId: id, traceparent, language: request.language, source: request.source, ...planned.job },
    };
  }

  private withInlineTests(request: CreateSubmissionDto): PlannedSubmission {
    const tests = request.tests as TestCaseDto[];
    const requested = this.policy.check({ ...request, tests });
    const limits = applyLanguageLimits(requested, this.languages.get(request.language)!);
    const checker = request.checker ?? DEFAULT_CHECKER;
    return {
      job: {
        kind: 'stdio',
        tests: tests.map((test, index) => ({ index, name: String(index + 1), input: { text: test.input }, answer: { text: test.expectedOutput } })),
        limits,
        checker,
        scoring: defaultScoringPlan(tests.length),
      },
      record: {
        limits,
        limitMultipliers: null,
        problem: null,
        testCount: tests.length,
        disclosure: null,
        request: { language: request.language, source: request.source, tests, limits, checker },
      },
    };
  }

  private async againstProblem(request: CreateSubmissionDto & { problemId: string }): Promise<PlannedSubmission> {
    this.policy.checkProblemSubmission(request);
    const planned = await this.problems.plan(request, this.languages.get(request.language)!);
    return {
      job: planned.job,
      record: {
        limits: planned.limits,
        limitMultipliers: planned.limitMultipliers,
        problem: planned.problem,
        testCount: planned.job.tests.length,
        disclosure: planned.disclosure,
        request: { language: request.language, source: request.source, problem: planned.problem, pretestsOnly: request.pretestsOnly ?? false },
      },
    };
  }
}
