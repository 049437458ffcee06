import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { IncomingMessage } from 'node:http';
import { redisStatement } from './redis-statement';
import { applyTracingDefaults } from './tracing-defaults';

let sdk: NodeSDK | null = null;

/**
 * Query parameters whose values incoming requests' spans show as REDACTED: the instrumentation's
 * own list (signed cloud URLs), which setting one replaces, and live-progress tokens (`access_token`).
 */
const REDACTED_QUERY_PARAMETERS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'access_token'];

/**
 * A read (GET, HEAD) starts no trace of its own: reads are polls, probes, scrapes and event streams,
 * hundreds for each submission a client waits on, and tracing each one cost more than judging did
 * (bench/judge-overhead.mjs). A read whose caller traces it (a `traceparent` header) is traced, in
 * the caller's trace. Writes (a submission's POST above all) always are.
 */
function startsNoTrace(request: IncomingMessage): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && request.headers.traceparent === undefined;
}

/**
 * Starts OpenTelemetry for this process, once. Must run before Nest, ioredis and http are first
 * required, because the auto-instrumentations patch modules at require time: each app's main.ts
 * calls it on its first line. Exports only when OTLP is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_TRACES_EXPORTER, read by the SDK itself); otherwise tracing costs nothing.
 */
export function startTelemetry(serviceName: string): void {
  if (sdk || (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT && !process.env.OTEL_TRACES_EXPORTER)) return;
  applyTracingDefaults(process.env, serviceName);
  sdk = new NodeSDK({
    instrumentations: [
      getNodeAutoInstrumentations({
        // Spans a judge's trace does not need, turned off for what they cost on every request or
        // connection: the NestJS ones repeat each request's server span twice (its name and route
        // come from nameRequestSpansByRoute instead), net and dns add one per socket (the Docker
        // engine's among them), fs one per file call, and runtime-node measures the event loop for
        // a metrics exporter this SDK does not have (Prometheus's process metrics do that).
        '@opentelemetry/instrumentation-nestjs-core': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-runtime-node': { enabled: false },
        // Off unless the operator turns it on (applyTracingDefaults); then its spans carry no data.
        '@opentelemetry/instrumentation-ioredis': { dbStatementSerializer: redisStatement },
        '@opentelemetry/instrumentation-http': {
          redactedQueryParamsServer: REDACTED_QUERY_PARAMETERS,
          ignoreIncomingRequestHook: startsNoTrace,
          // A webhook try is its own client span already (DeliverWebhook), carrying the traceparent the
          // receiver gets; a second span from the instrumentation would replace that header.
          // Calls to the Docker engine (its unix socket) get none either: `sandbox acquire` and the
          // test spans already time the steps they serve.
          ignoreOutgoingRequestHook: (request) =>
            request.socketPath !== undefined || (!Array.isArray(request.headers) && (request.headers as Record<string, unknown> | undefined)?.['webhook-id'] !== undefined),
        },
      }),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = null;
}
