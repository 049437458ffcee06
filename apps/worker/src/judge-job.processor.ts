import { WorkerConfig } from '@verdict/config';
import { FairDispatcher, InjectFairDispatcher, JUDGE_QUEUE, QueueHandler, QueueProcessor, ReceivedJob } from '@verdict/job-queues';
import { PrepareJudging, RunJudgeJob } from '@verdict/judging';
import { JobMetrics } from '@verdict/metrics';

/** The judge queue's handler: one try of a judge job is RunJudgeJob, once judging is prepared. */
@QueueHandler(JUDGE_QUEUE)
export class JudgeJobProcessor extends QueueProcessor<{ verdict: string }> {
  constructor(
    private readonly prepareJudging: PrepareJudging,
    private readonly runJudgeJob: RunJudgeJob,
    config: WorkerConfig,
    @InjectFairDispatcher(JUDGE_QUEUE) dispatcher: FairDispatcher,
    metrics: JobMetrics,
  ) {
    super({ concurrency: config.WORKER_CONCURRENCY, shutdownGraceMs: config.SHUTDOWN_GRACE_MS, dispatcher, metrics });
  }

  /** Images checked, languages self-tested, sandboxes warm: a worker that cannot judge takes no job. */
  protected override prepare(): Promise<void> {
    return this.prepareJudging.execute();
  }

  protected handle(job: ReceivedJob): Promise<{ verdict: string }> {
    return this.runJudgeJob.execute(job);
  }

  protected interruptAll(): Promise<void> {
    return this.runJudgeJob.interruptAll();
  }
}
