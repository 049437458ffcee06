import { Injectable, OnModuleInit } from '@nestjs/common';
import { JUDGE_LANES, JudgeJobPayload } from '@verdict/contracts';
import { InjectJobQueue, JUDGE_QUEUE, JobQueue } from '@verdict/job-queues';
import { JudgeQueueGauges } from '@verdict/metrics';

/**
 * Where the API's judge-queue gauges come from: the judge queue's census (`JobQueue.census`, one
 * script call), read when Prometheus scrapes, never per request.
 */
@Injectable()
export class JudgeQueueCensus implements OnModuleInit {
  constructor(
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly gauges: JudgeQueueGauges,
  ) {}

  onModuleInit(): void {
    this.gauges.observeJudgeQueue(JUDGE_LANES, () => this.queue.census());
  }
}
