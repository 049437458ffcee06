import { Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CATALOG } from './catalog';
import { MetricsRegistry } from './metrics-registry';

/** The BullMQ states of the judge queue that verdict_judge_queue_jobs reports. */
export const JUDGE_QUEUE_STATES = ['wait', 'prioritized', 'active', 'delayed', 'paused', 'failed'] as const;
export type JudgeQueueState = (typeof JUDGE_QUEUE_STATES)[number];

/** The judge queue at one instant, read in one round trip (`FairQueue.census` in @verdict/job-queues). */
export interface JudgeQueueCensus {
  /** Jobs waiting their turn in the fair queue, by lane (lanes with none may be absent). */
  lanes: Record<string, number>;
  /** Jobs taken from the fair queue and being added to BullMQ. */
  dispatching: number;
  /** BullMQ's jobs by state. */
  states: Record<JudgeQueueState, number>;
  /** Every job not yet taken by a worker: waiting its turn, being handed out, BullMQ wait, prioritized and paused. */
  waiting: number;
  /** When the oldest of those was accepted (ms since the epoch), null when none waits. */
  oldestAcceptedAt: number | null;
  /** Live workers' registered slots. */
  workerSlots: number;
}

/** The result stream's consumer group at one instant. */
export interface ResultStreamCensus {
  /** Delivered to the group, not acknowledged (XPENDING). */
  pending: number;
  /** Not yet delivered to the group (XINFO GROUPS `lag`); null when Redis cannot tell. */
  lag: number | null;
}

type Source<T> = () => Promise<T>;

/**
 * The queue gauges: facts about the shared Redis, read when Prometheus scrapes (prom-client's
 * `collect`), never on a request path. Every gauge of a source is set from one reading per scrape:
 * the gauges are collected together, so the first asks and the others share its answer. A reading
 * that fails sets its gauges to NaN (a gap on a graph, not a stale number an autoscaler would
 * believe) and the scrape still answers. The libraries that own the data register the sources
 * (`observeJudgeQueue`, `observeResultStream`); until they do, the gauges read 0.
 */
export class JudgeQueueGauges {
  private readonly logger = new Logger(JudgeQueueGauges.name);
  private judgeQueue: { lanes: readonly string[]; read: Shared<JudgeQueueCensus> } | null = null;
  private resultStream: Shared<ResultStreamCensus> | null = null;

  constructor(registry: MetricsRegistry) {
    const onJudgeQueue = (apply: (census: JudgeQueueCensus | null, gauge: Gauge<string>) => void) => async (gauge: Gauge<string>) => {
      if (this.judgeQueue) apply(await this.judgeQueue.read.get(), gauge);
    };
    registry.gauge(
      CATALOG.judgeQueue.backlog,
      onJudgeQueue((census, gauge) => {
        for (const lane of this.judgeQueue!.lanes) gauge.labels(lane).set(census ? (census.lanes[lane] ?? 0) : NaN);
      }),
    );
    registry.gauge(
      CATALOG.judgeQueue.queueJobs,
      onJudgeQueue((census, gauge) => {
        for (const state of JUDGE_QUEUE_STATES) gauge.labels(state).set(census ? census.states[state] : NaN);
      }),
    );
    registry.gauge(CATALOG.judgeQueue.waiting, onJudgeQueue((census, gauge) => gauge.set(census ? census.waiting : NaN)));
    registry.gauge(
      CATALOG.judgeQueue.oldestWaiting,
      onJudgeQueue((census, gauge) => gauge.set(!census ? NaN : census.oldestAcceptedAt === null ? 0 : Math.max(0, Date.now() - census.oldestAcceptedAt) / 1000)),
    );
    registry.gauge(CATALOG.judgeQueue.workerSlots, onJudgeQueue((census, gauge) => gauge.set(census ? census.workerSlots : NaN)));

    const onResultStream = (apply: (census: ResultStreamCensus | null, gauge: Gauge<string>) => void) => async (gauge: Gauge<string>) => {
      if (this.resultStream) apply(await this.resultStream.get(), gauge);
    };
    registry.gauge(CATALOG.judgeQueue.streamPending, onResultStream((census, gauge) => gauge.set(census ? census.pending : NaN)));
    registry.gauge(CATALOG.judgeQueue.streamLag, onResultStream((census, gauge) => gauge.set(census?.lag ?? NaN)));
  }

  /** Where the judge queue's gauges come from; `lanes` are every lane (each exported, 0 when empty). */
  observeJudgeQueue(lanes: readonly string[], read: Source<JudgeQueueCensus>): void {
    this.judgeQueue = { lanes, read: new Shared(read, (error) => this.logger.warn(`reading the judge queue for its gauges failed: ${error.message}`)) };
  }

  observeResultStream(read: Source<ResultStreamCensus>): void {
    this.resultStream = new Shared(read, (error) => this.logger.warn(`reading the result stream for its gauges failed: ${error.message}`));
  }
}

/** One reading shared by every caller while it is in flight; a failure reads as null. */
class Shared<T> {
  private inFlight: Promise<T | null> | null = null;

  constructor(
    private readonly read: Source<T>,
    private readonly onFailure: (error: Error) => void,
  ) {}

  get(): Promise<T | null> {
    this.inFlight ??= this.read()
      .catch((error: Error) => {
        this.onFailure(error);
        return null;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}
