import { randomFillSync } from 'node:crypto';
import { activeSpanContext, traceparentOfContext } from './spans';

/**
 * Random hex drawn from a pool refilled 4 KiB at a time: minting ids for a 10,000-submission batch
 * with a system call per id (randomBytes) cost a twentieth of accepting it.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return pool.toString('hex', poolOffset - bytes, poolOffset);
}

/**
 * The W3C traceparent a submission carries from the HTTP request through the job and the stream
 * entries to the webhook. When the request is traced (OpenTelemetry active), it joins that trace;
 * otherwise it starts a new trace id, so every submission has one either way.
 */
export function traceparentForCurrentContext(): string {
  const span = activeSpanContext();
  return span ? traceparentOfContext(span) : `00-${randomHex(16)}-${randomHex(8)}-01`;
}

export function traceIdOf(traceparent: string): string {
  return traceparent.split('-')[1] ?? '';
}

/**
 * A traceparent in a trace already under way (a submission's, by its trace id), with a span id of its
 * own: how a later step of the submission, such as its webhook, joins the submission's trace.
 */
export function traceparentInTrace(traceId: string): string {
  return `00-${traceId}-${randomHex(8)}-01`;
}

/**
 * The active span's traceparent when it belongs to the submission's trace (telemetry on, inside the
 * span that applied its result), else a new span id in that trace: what a step after the result
 * (its webhook) carries, so it joins the submission's trace under its real parent when there is one.
 */
export function traceparentWithinTrace(traceId: string): string {
  const span = activeSpanContext();
  return span?.traceId === traceId ? traceparentOfContext(span) : traceparentInTrace(traceId);
}
