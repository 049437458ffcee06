import { Injectable, Logger } from '@nestjs/common';
import { CreateSubmissionDto, DEFAULT_CHECKER, JudgeJobPayload, SubmissionAccepted, TestCaseDto, defaultScoringPlan } from '@verdict/contracts';
import { WebhookSigningConfig } from '@verdict/config';
import { JUDGE_QUEUE, InjectJobQueue, JobQueue } from '@verdict/job-queues';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { NewSubmission, SubmissionStore } from './submission-store';
import { traceIdOf, traceparentForCurrentContext } from '@verdict/telemetry';
import { randomUUID } from 'node:crypto';
import { ProblemJobPlanner } from './problem-job-planner';
import { SubmissionPolicy, SubmissionRejectedError } from './submission-policy';

/** Everything about a submission that depends on where its tests come from (inline or a problem). */
interface PlannedSubmission {
  job: Omit<JudgeJobPayload, 'submissionId' | 'traceparent' | 'language' | 'source'>;
  record: Pick<NewSubmission, 'limits' | 'limitMultipliers' | 'problem' | 'testCount' | 'disclosure' | 'request'>;
}

/**
 * Accepts a submission: checks it against the policy, stores it as queued, enqueues its judge job.
 * Its tests are inline, or those of the problem version it names. With an idempotency key, a
 * retried request returns the first one's submission instead of judging the same code twice.
 */
@Injectable()
export class CreateSubmission {
  private readonly logger = new Logger(CreateSubmission.name);

  constructor(
    private readonly policy: SubmissionPolicy,
    private readonly languages: LanguageCatalog,
    private readonly store: SubmissionStore,
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly problems: ProblemJobPlanner,
    private readonly webhooks: WebhookSigningConfig,
  ) {}

  async execute(request: CreateSubmissionDto, idempotencyKey?: string): Promise<SubmissionAccepted> {
    // A callback this judge cannot sign would never be sent: refused now rather than dropped later.
    if (request.callbackUrl !== undefined && !this.webhooks.webhooksEnabled()) {
      throw new SubmissionRejectedError('callbackUrl: this judge sends no webhooks (WEBHOOK_SECRET is not set)');
    }
    const planned = request.problemId != null ? await this.againstProblem(request as CreateSubmissionDto & { problemId: string }) : this.withInlineTests(request);
    const traceparent = traceparentForCurrentContext();
    const id = randomUUID();
    const traceId = traceIdOf(traceparent);

    const stored = await this.store.create(
      { id, language: request.language, traceId, createdAt: new Date().toISOString(), callbackUrl: request.callbackUrl ?? null, ...planned.record },
      idempotencyKey,
    );
    if (!stored.created) {
      const existing = await this.store.statusOf(stored.id);
      return { id: stored.id, status: 'queued', traceId: existing?.traceId ?? '' };
    }
    // The job carries everything the worker needs, so judging never waits on another lookup.
    try {
      await this.queue.enqueue({ submissionId: id, traceparent, language: request.language, source: request.source, ...planned.job });
    } catch (error) {
      await this.store.discard(id, idempotencyKey).catch(() => undefined);
      throw error;
    }
    this.logger.log(
      { submissionId: id, traceId, language: request.language, tests: planned.record.testCount, problem: planned.record.problem },
      'submission queued',
    );
    return { id, status: 'queued', traceId };
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
