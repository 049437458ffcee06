import { Injectable, Logger } from '@nestjs/common';
import { CreateSubmissionDto, DEFAULT_CHECKER, SubmissionAccepted, defaultScoringPlan } from '@verdict/contracts';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { SubmissionStore } from '@verdict/results';
import { traceIdOf, traceparentForCurrentContext } from '@verdict/telemetry';
import { randomUUID } from 'node:crypto';
import { SubmissionPolicy } from './submission-policy';
import { SubmissionQueue } from './submission.queue';

/**
 * Accepts a submission: checks it against the policy, stores it as queued, enqueues its judge job.
 * With an idempotency key, a retried request returns the first one's submission instead of judging
 * the same code twice.
 */
@Injectable()
export class CreateSubmission {
  private readonly logger = new Logger(CreateSubmission.name);

  constructor(
    private readonly policy: SubmissionPolicy,
    private readonly languages: LanguageCatalog,
    private readonly store: SubmissionStore,
    private readonly queue: SubmissionQueue,
  ) {}

  async execute(request: CreateSubmissionDto, idempotencyKey?: string): Promise<SubmissionAccepted> {
    const requested = this.policy.check(request);
    const limits = applyLanguageLimits(requested, this.languages.get(request.language)!);
    const checker = request.checker ?? DEFAULT_CHECKER;
    const traceparent = traceparentForCurrentContext();
    const id = randomUUID();
    const traceId = traceIdOf(traceparent);

    const stored = await this.store.create(
      {
        id,
        language: request.language,
        traceId,
        createdAt: new Date().toISOString(),
        limits,
        limitMultipliers: null,
        problem: null,
        testCount: request.tests.length,
        request: { language: request.language, source: request.source, tests: request.tests, limits, checker },
      },
      idempotencyKey,
    );
    if (!stored.created) {
      const existing = await this.store.get(stored.id);
      return { id: stored.id, status: 'queued', traceId: existing?.traceId ?? '' };
    }
    // The job carries everything the worker needs, so judging never waits on another lookup.
    try {
      await this.queue.enqueue({
        submissionId: id,
        traceparent,
        language: request.language,
        source: request.source,
        kind: 'stdio',
        tests: request.tests.map((test, index) => ({ index, name: String(index + 1), input: { text: test.input }, answer: { text: test.expectedOutput } })),
        limits,
        checker,
        scoring: defaultScoringPlan(request.tests.length),
      });
    } catch (error) {
      await this.store.discard(id, idempotencyKey).catch(() => undefined);
      throw error;
    }
    this.logger.log({ submissionId: id, traceId, language: request.language, tests: request.tests.length }, 'submission queued');
    return { id, status: 'queued', traceId };
  }
}
