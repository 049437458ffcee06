/**
 * Every metric Verdict exports, defined once: name, type, help, label names, buckets. This is the
 * contract between the code, the dashboards and the alert rules (deploy/observability): rename or
 * drop a metric here and there together. Conventions (Prometheus): base units (seconds), `_total`
 * on counters, snake_case, bounded label values (never a submission, job or batch id; a tenant only
 * through the capped `TenantLabel`).
 *
 * Metrics are grouped by who records them; each process registers the groups it owns
 * (`APP_METRIC_GROUPS`), so a process never exports a series it cannot move.
 */

export const VERDICT_APPS = ['api', 'worker', 'webhook-deliverer'] as const;
/** Which program a process runs: the `app` label of verdict_build_info. */
export type VerdictApp = (typeof VERDICT_APPS)[number];

export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly labels: readonly L[];
  /** Histograms: upper bounds of the buckets, in the metric's unit. */
  readonly buckets?: readonly number[];
  /**
   * How the API processes of one port (API_PROCESSES > 1) combine it into one answer: `sum`
   * (default: each process's own counts), `max` (the same fact read by each, as the queue
   * gauges), `first` (the same value everywhere, as the build info).
   */
  readonly aggregator?: 'sum' | 'max' | 'first';
}

function counter<L extends string>(name: string, help: string, labels: readonly L[] = []): MetricDefinition<L> {
  return { name, type: 'counter', help, labels };
}

function gauge<L extends string>(name: string, help: string, labels: readonly L[] = [], aggregator: MetricDefinition['aggregator'] = 'sum'): MetricDefinition<L> {
  return { name, type: 'gauge', help, labels, aggregator };
}

/** A fact about the shared Redis, read by every API process alike: one value, not one per process. */
function sharedGauge<L extends string>(name: string, help: string, labels: readonly L[] = []): MetricDefinition<L> {
  return gauge(name, help, labels, 'max');
}

function histogram<L extends string>(name: string, help: string, labels: readonly L[], buckets: readonly number[]): MetricDefinition<L> {
  return { name, type: 'histogram', help, labels, buckets };
}

/** A quick HTTP answer is milliseconds; a long-poll (?wait=true) or a package upload takes seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** From an idle judge's milliseconds to a backlog's hour (MAX_QUEUE_AGE_SECONDS' default). */
const WAIT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** One judging: a compiled program's few tests in a fraction of a second, up to a problem's many slow ones. */
const JUDGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** A container's create or start: tens to hundreds of milliseconds on a healthy engine. */
const CONTAINER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** One webhook try: bounded by WEBHOOK_TIMEOUT_MS (15 s by default). */
const WEBHOOK_TRY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];
/** Result to delivered webhook: at once, or after the retry schedule's waits (about a day in all). */
const WEBHOOK_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 18000, 36000, 86400];

export const CATALOG = {
  process: {
    buildInfo: gauge('verdict_build_info', 'Always 1: which program this process runs (api, worker, webhook-deliverer) and its version.', ['app', 'version'], 'first'),
  },
  http: {
    requests: counter('verdict_http_requests_total', 'HTTP requests answered by the API, by method, route template ("unmatched" when no route) and status.', ['method', 'route', 'status']),
    duration: histogram('verdict_http_request_duration_seconds', 'Time from a request received to its answer sent, by method and route template.', ['method', 'route'], HTTP_BUCKETS),
  },
  submissions: {
    accepted: counter('verdict_submissions_accepted_total', 'Submissions accepted (single submissions and batch items), by the lane their judge job waits in.', ['lane']),
    admissionRefusals: counter(
      'verdict_admission_refusals_total',
      'Submissions or batches refused with 429 because a backlog was full, by tenant (capped: METRICS_TENANT_LABELS) and bound (group: the tenant\'s maxQueued; total: JUDGE_BACKLOG_LIMIT).',
      ['tenant', 'bound'],
    ),
    wait: histogram('verdict_submission_wait_seconds', 'Time a judging waited for a worker: accepted (or queued again by a rejudge) to started, by language.', ['language'], WAIT_BUCKETS),
    finished: counter(
      'verdict_submissions_finished_total',
      'Judgings that reached their final state as the API applied it, by language, verdict ("" when none) and status (completed, failed, expired, cancelled).',
      ['language', 'verdict', 'status'],
    ),
  },
  rateLimits: {
    rateLimited: counter('verdict_rate_limited_total', 'Requests refused with 429 by the per-key rate limit, by tenant (capped: METRICS_TENANT_LABELS).', ['tenant']),
  },
  judgeQueue: {
    backlog: sharedGauge('verdict_judge_backlog_jobs', 'Judge jobs waiting their turn in the fair queue (not yet handed to BullMQ), by lane.', ['lane']),
    queueJobs: sharedGauge('verdict_judge_queue_jobs', "The BullMQ judge queue's jobs, by state (wait, prioritized, active, delayed, paused, failed).", ['state']),
    waiting: sharedGauge(
      'verdict_judge_waiting_jobs',
      'Judge jobs not yet taken by a worker: waiting their turn, being handed out, and in BullMQ wait, prioritized and paused. The autoscaling signal.',
    ),
    oldestWaiting: sharedGauge('verdict_judge_oldest_waiting_seconds', 'Age of the oldest judge job not yet taken by a worker, from when it was accepted (0 when none waits).'),
    workerSlots: sharedGauge('verdict_judge_worker_slots', 'Worker slots registered with the fair queue whose heartbeat has not lapsed.'),
    streamPending: sharedGauge('verdict_result_stream_pending_entries', "Result stream entries delivered to the API's consumer group and not yet acknowledged."),
    streamLag: sharedGauge('verdict_result_stream_lag_entries', "Result stream entries not yet delivered to the API's consumer group (NaN when Redis cannot tell)."),
  },
  webhooks: {
    deliveries: counter(
      'verdict_webhook_deliveries_total',
      'Webhook delivery tries, by event type and outcome (delivered, retry, failed: refused by the receiver, dead_lettered: no tries left, refused: callback address not allowed).',
      ['event', 'outcome'],
    ),
    duration: histogram('verdict_webhook_delivery_duration_seconds', "One webhook try's HTTP time, by outcome.", ['outcome'], WEBHOOK_TRY_BUCKETS),
    latency: histogram('verdict_webhook_delivery_latency_seconds', "Time from a result's finishedAt (or a batch's) to its webhook's first successful delivery.", [], WEBHOOK_LATENCY_BUCKETS),
  },
  jobs: {
    retries: counter('verdict_job_retries_total', 'Failed tries of jobs that the queue will try again, by queue, for the queues consumed in this process.', ['queue']),
    deadLetters: counter('verdict_job_dead_letters_total', 'Failed tries of jobs that will not be tried again (no tries left, or a permanent failure), by queue.', ['queue']),
  },
  judging: {
    duration: histogram('verdict_judge_duration_seconds', 'Time from started to finished of one judging on this worker, by language and verdict.', ['language', 'verdict'], JUDGE_BUCKETS),
    testsJudged: counter('verdict_tests_judged_total', 'Tests judged on this worker, by language and the test\'s verdict.', ['language', 'verdict']),
    active: gauge('verdict_judge_jobs_active', 'Judge jobs this worker is running now.'),
    concurrency: gauge('verdict_judge_worker_concurrency', "This worker's judge slots (WORKER_CONCURRENCY)."),
  },
  sandbox: {
    pool: gauge('verdict_sandbox_pool_containers', "The sandbox pool's containers, by state (idle: started and waiting; busy: leased to a judging; starting; resetting).", ['state']),
    startSeconds: histogram('verdict_sandbox_container_start_seconds', 'Time to bring up a sandbox, by phase (create: the container; start: started with its harness connected).', ['phase'], CONTAINER_BUCKETS),
    failures: counter('verdict_sandbox_failures_total', 'Sandbox failures, by what failed (create, start, run: a harness exchange, reset, remove).', ['phase']),
  },
} as const;

export type MetricGroupName = keyof typeof CATALOG;

/**
 * The groups each program registers (and so exports). The API also registers `webhooks` and `jobs`
 * when it runs the webhook deliverer in its own process (WEBHOOK_DELIVERY_MODE=api): that
 * deliverer records into the API's registry.
 */
export const APP_METRIC_GROUPS: Record<VerdictApp, readonly MetricGroupName[]> = {
  api: ['process', 'http', 'submissions', 'rateLimits', 'judgeQueue'],
  worker: ['process', 'judging', 'sandbox', 'jobs'],
  'webhook-deliverer': ['process', 'webhooks', 'jobs'],
};

/** The names of every metric of these groups. */
export function metricNamesOf(groups: readonly MetricGroupName[]): string[] {
  return groups.flatMap((group) => Object.values(CATALOG[group] as Record<string, MetricDefinition>).map((definition) => definition.name));
}
