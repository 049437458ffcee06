import { Injectable, Logger } from '@nestjs/common';
import { CreateSubmissionDto, JudgeJobPayload, SubmissionAccepted } from '@verdict/contracts';
import { JUDGE_QUEUE, InjectJobQueue, JobQueue } from '@verdict/job-queues';
import { SubmissionPlanner } from './submission-planner';
import { SubmissionStore } from './submission-store';

/**
 * Accepts a submission: checks and plans it (SubmissionPlanner), stores it as queued, enqueues its
 * judge job. With an idempotency key, a retried request returns the first one's submission instead
 * of judging the same code twice.
 */
@Injectable()
export class CreateSubmission {
  private readonly logger = new Logger(CreateSubmission.name);

  constructor(
    private readonly planner: SubmissionPlanner,
    private readonly store: SubmissionStore,
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
  ) {}

  async execute(request: CreateSubmissionDto, idempotencyKey?: string): Promise<SubmissionAccepted> {
    const { record, job } = await this.planner.prepare(request);
    const stored = await this.store.create(record, idempotencyKey);
    if (!stored.created) {
      const existing = await this.store.statusOf(stored.id);
      return { id: stored.id, status: 'queued', traceId: existing?.traceId ?? '' };
    }
    try {
      await this.queue.enqueue(job);
    } catch (error) {
      await this.store.discard(record.id, idempotencyKey).catch(() => undefined);
      throw error;
    }
    this.logger.log({ submissionId: record.id, traceId: record.traceId, language: record.language, tests: record.testCount, problem: record.problem }, 'submission queued');
    return { id: record.id, status: 'queued', traceId: record.traceId };
  }
}
