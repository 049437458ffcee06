import { Injectable } from '@nestjs/common';
import { WebhookSigningConfig } from '@verdict/config';
import { CreateSubmissionDto, DEFAULT_CHECKER, Quotas, JudgeJobPayload, JudgeLane, Requester, TestCaseDto, defaultScoringPlan } from '@verdict/contracts';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { traceIdOf, traceparentForCurrentContext } from '@verdict/telemetry';
import { TenantQuotas } from '@verdict/tenants';
import { randomUUID } from 'node:crypto';
import { batchMemberTraceparent } from './judge-job-tracing';
import { checkLaneAllowed } from './lane-access';
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
  job: Omit<JudgeJobPayload, 'submissionId' | 'traceparent' | 'language' | 'source' | 'lane' | 'tenantId'>;
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
    private readonly quotas: TenantQuotas,
  ) {}

  /**
   * Throws SubmissionRejectedError naming every problem of the request. The submission is the
   * requester's tenant's; it waits in its own lane (default `live`), or a batch member in its batch's.
   * A single submission in a lane its key does not allow: LaneNotAllowedError (forbidden).
   */
  async prepare(request: CreateSubmissionDto, requester: Requester, batch: { id: string; lane: JudgeLane } | null = null): Promise<PreparedSubmission> {
    if (batch && request.lane != null) throw new SubmissionRejectedError({ field: 'lane', message: "lane cannot be set on a batch's submission: every member waits in the batch's lane (set lane on the batch)" });
    // A single submission's lane, named or the default, must be one its key allows (a batch's is checked by CreateBatch).
    if (!batch) checkLaneAllowed(requester, request.lane, { lane: 'live', defaultOf: 'a submission' });
    // A callback this judge cannot sign would never be sent: refused now rather than dropped later.
    const unsignable = request.callbackUrl === undefined ? null : this.webhooks.cannotSignFor(requester.tenantId);
    if (unsignable !== null) throw new SubmissionRejectedError({ field: 'callbackUrl', message: unsignable });
    // The tenant's quotas (tests, source size), read once per tenant per cache period.
    const quotas = await this.quotas.for(requester.tenantId);
    const planned = request.problemId != null ? await this.againstProblem(request as CreateSubmissionDto & { problemId: string }, requester, quotas) : this.withInlineTests(request, quotas);
    // A single submission joins its request's trace; a batch member starts its own, linked to the batch's.
    const traceparent = batch ? batchMemberTraceparent(batch.id) : traceparentForCurrentContext();
    const id = randomUUID();
    return {
      record: {
        id,
        language: request.language,
        traceId: traceIdOf(traceparent),
        createdAt: new Date().toISOString(),
        callbackUrl: request.callbackUrl ?? null,
        batchId: batch?.id ?? null,
        tenantId: requester.tenantId,
        ...planned.record,
      },
      // The job carries everything the worker needs, so judging never waits on another lookup.
      job: {
        submissionId: id,
        traceparent,
        language: request.language,
        source: request.source,
        lane: batch?.lane ?? request.lane ?? 'live',
        ...(requester.tenantId !== null && { tenantId: requester.tenantId }),
        ...planned.job,
      },
    };
  }

  private withInlineTests(request: CreateSubmissionDto, quotas: Quotas): PlannedSubmission {
    const tests = request.tests as TestCaseDto[];
    const requested = this.policy.check({ ...request, tests }, quotas);
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

  private async againstProblem(request: CreateSubmissionDto & { problemId: string }, requester: Requester, quotas: Quotas): Promise<PlannedSubmission> {
    this.policy.checkProblemSubmission(request, quotas);
    const planned = await this.problems.plan(request, this.languages.get(request.language)!, requester);
    this.policy.checkProblemTests(request, planned.job.tests.length, quotas);
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
