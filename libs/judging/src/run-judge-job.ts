import { Injectable, Logger } from '@nestjs/common';
import { ResultStreamConfig, WorkerConfig } from '@verdict/config';
import { JudgeJobPayload, SUBMISSION_ID_PATTERN, SubmissionStatus, TestResult, judgeFailedEvent } from '@verdict/contracts';
import { InterruptedJob, JUDGE_QUEUE, PermanentJobFailure, ReceivedJob, TransientJobFailure, readPayload } from '@verdict/job-queues';
import { JudgeMetrics } from '@verdict/metrics';
import { ResultStreamPublisher, ResultStreamUnavailableError } from '@verdict/result-stream';
import { SandboxBrokenError, SandboxLauncher, SandboxUnavailableError } from '@verdict/sandbox';
import { SpanKind, inSpan, traceparentForCurrentContext } from '@verdict/telemetry';
import { FinishedSubmissions } from './finished-submissions';
import { JudgeSubmission } from './judge-submission';
import { JudgingBudgetExceededError } from './judge-watchdog';
import { TestProgressBatch } from './test-progress-batch';

/** Judging failed and trying again cannot help (corrupt payload, unknown language, a failing checker). */
export class PermanentJudgeFailure extends PermanentJobFailure {}
/** Judging failed for a reason outside the submission (Docker unreachable, image missing); retry later. */
export class TransientJudgeFailure extends TransientJobFailure {}
/** Judging was cut short by this worker's shutdown: the job belongs back in the queue, untried. */
export class InterruptedJudgeJob extends InterruptedJob {}

/** What a try of a judge job ends with (the job's return value): the verdict, or why it judged nothing. */
export interface JudgeJobResult {
  /** The verdict published; 'none' when the job was skipped. */
  verdict: string;
  /** Set when the submission was final already as the job was taken (expired in the queue, cancelled, judged by an earlier try): its status. */
  skipped?: SubmissionStatus;
}

/**
 * One try at one judge job: validates the payload, judges, and publishes every step on the result
 * stream (running, compiled, each test, final). Verdicts end normally. Faults of the judge end with
 * a final `failed` IE event when no try is left, and are thrown as Permanent/TransientJudgeFailure
 * so the queue knows whether to retry. A job whose submission is final already (it expired in the
 * queue or was cancelled just as a worker took its job) is not judged: it ends at once, publishing
 * nothing. One that becomes final while it is judged is judged to the end, and the API's store
 * applies its events as stale: a final record never changes.
 */
@Injectable()
export class RunJudgeJob {
  private readonly logger = new Logger(RunJudgeJob.name);
  /** Set on shutdown: failures of jobs cut short then are hand-backs, not results. */
  private stopping = false;

  constructor(
    private readonly judge: JudgeSubmission,
    private readonly results: ResultStreamPublisher,
    private readonly sandboxes: SandboxLauncher,
    private readonly worker: WorkerConfig,
    private readonly stream: ResultStreamConfig,
    private readonly finished: FinishedSubmissions,
    private readonly metrics: JudgeMetrics,
  ) {
    metrics.slots(worker.WORKER_CONCURRENCY);
  }

  /** Cuts every job in flight short: their sandboxes go, and each ends with InterruptedJudgeJob. */
  async interruptAll(): Promise<void> {
    this.stopping = true;
    await this.sandboxes.abortAll();
  }

  async execute(job: ReceivedJob): Promise<JudgeJobResult> {
    const read = readPayload(JUDGE_QUEUE, job.data);
    if ('problems' in read) {
      const reason = `invalid job payload: ${read.problems.join('; ')}`;
      // The job id is the submission id, so even a corrupt job can close its submission.
      if (job.id && SUBMISSION_ID_PATTERN.test(job.id)) {
        await this.publishFailure(job.id, traceparentForCurrentContext(), job.attempt, reason);
      }
      throw new PermanentJudgeFailure(reason);
    }
    const { payload } = read;
    // The job's consumer span continues the API's publish span (the job's traceparent): the
    // sandbox, compile, test and result-publish spans below are its children.
    const attributes = { 'messaging.system': 'bullmq', 'messaging.operation.type': 'process', 'messaging.destination.name': JUDGE_QUEUE.name, 'messaging.message.id': job.id ?? '', 'verdict.submission.id': payload.submissionId, 'verdict.language': payload.language, 'verdict.attempt': job.attempt };
    return inSpan('process judge', { kind: SpanKind.CONSUMER, parent: payload.traceparent, attributes }, async (span) => {
      const result = await this.metrics.running(() => this.judgeOnce(job, payload));
      span.setAttribute('verdict.verdict', result.verdict);
      return result;
    });
  }

  private async judgeOnce(job: ReceivedJob, payload: JudgeJobPayload): Promise<JudgeJobResult> {
    const base = { submissionId: payload.submissionId, traceparent: payload.traceparent, attempt: job.attempt };

    const final = await this.finalStatusOf(payload.submissionId);
    if (final !== null) {
      this.logger.log({ submissionId: payload.submissionId, status: final, attempt: job.attempt }, 'job skipped: its submission is final already');
      return { verdict: 'none', skipped: final };
    }

    const started = new Date();
    await this.results.publish({ type: 'running', ...base, startedAt: started.toISOString(), workerId: this.worker.WORKER_ID });
    const progress = new TestProgressBatch(this.stream.RESULT_PROGRESS_INTERVAL_MS, (tests) => this.results.publish({ type: 'tests', ...base, tests }).then(() => undefined));
    try {
      const outcome = await this.judge
        .execute(payload, {
          compiled: (compileOutput: string) => this.results.publish({ type: 'compiled', ...base, compileOutput }).then(() => undefined),
          testJudged: (test: TestResult) => progress.add(test),
        })
        .finally(() => progress.finish());
      await this.results.publish({
        type: 'final',
        ...base,
        status: 'completed',
        verdict: outcome.verdict,
        tests: outcome.tests,
        compileOutput: outcome.compileOutput,
        message: outcome.message,
        finishedAt: new Date().toISOString(),
        score: outcome.score,
        maxScore: outcome.maxScore,
        subtasks: outcome.subtasks,
      });
      this.metrics.judged(payload.language, outcome.verdict, (Date.now() - started.getTime()) / 1000, outcome.tests.map((test) => test.verdict));
      this.logger.log({ submissionId: payload.submissionId, verdict: outcome.verdict, attempt: job.attempt }, 'submission judged');
      return { verdict: outcome.verdict };
    } catch (error) {
      const reason = (error as Error).message;
      if (this.stopping) throw new InterruptedJudgeJob(`interrupted by shutdown: ${reason}`);
      // A sandbox that could not be had or broke under the judge (Docker, the harness), a judge
      // stopped by its watchdog, or a result stream that could not be written says nothing about
      // the submission: worth another try.
      const transient =
        error instanceof SandboxUnavailableError ||
        error instanceof SandboxBrokenError ||
        error instanceof JudgingBudgetExceededError ||
        error instanceof ResultStreamUnavailableError;
      const lastTry = !transient || job.attempt >= job.maxAttempts;
      this.logger.warn({ submissionId: payload.submissionId, attempt: job.attempt, transient, lastTry }, `judging failed: ${reason}`);
      if (lastTry) {
        await this.publishFailure(payload.submissionId, payload.traceparent, job.attempt, transient ? `gave up after ${job.attempt} tries: ${reason}` : reason);
        this.metrics.judged(payload.language, 'IE', (Date.now() - started.getTime()) / 1000, []);
        throw new PermanentJudgeFailure(reason);
      }
      throw new TransientJudgeFailure(reason);
    }
  }

  /** The submission's final status, or null: also when it cannot be read (the store discards stale results anyway). */
  private async finalStatusOf(submissionId: string): Promise<SubmissionStatus | null> {
    try {
      return await this.finished.finalStatusOf(submissionId);
    } catch (error) {
      this.logger.warn({ submissionId }, `could not check whether the submission is final (${(error as Error).message}); judging it`);
      return null;
    }
  }

  private async publishFailure(submissionId: string, traceparent: string, attempt: number, message: string): Promise<void> {
    await this.results.publish(judgeFailedEvent({ submissionId, traceparent, attempt, message }));
  }
}
