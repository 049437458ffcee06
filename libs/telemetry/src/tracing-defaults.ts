/**
 * The SDK settings this project chooses differently from OpenTelemetry's defaults, written into the
 * environment the SDK reads, each only where the operator set nothing: a deployment's own `OTEL_*`
 * variables always win, including an empty one (it still counts as set).
 */
export function applyTracingDefaults(env: NodeJS.ProcessEnv, serviceName: string): void {
  env.OTEL_SERVICE_NAME ??= serviceName;
  // Traces only: metrics are Prometheus's (libs/metrics) and logs are pino's lines on stdout.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  // A 10,000-submission batch makes a root span per member at once: room for them all (default 2,048).
  env.OTEL_BSP_MAX_QUEUE_SIZE ??= '32768';
  // No span per Redis command: they were half of a submission's spans (BullMQ's scripts, the result
  // store's, the progress channel's) and most of what tracing cost the judge's CPU
  // (bench/judge-overhead.mjs), while the project's own spans already time every step they serve.
  // `OTEL_NODE_DISABLED_INSTRUMENTATIONS=` (empty) turns them back on, e.g. to chase a slow Redis.
  env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ??= 'ioredis';
}
