import { isSpanContextValid, trace } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';

/**
 * The W3C traceparent a submission carries from the HTTP request through the job and the stream
 * entries to the webhook. When the request is traced (OpenTelemetry active), it joins that trace;
 * otherwise it starts a new trace id, so every submission has one either way.
 */
export function traceparentForCurrentContext(): string {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}`;
  }
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function traceIdOf(traceparent: string): string {
  return traceparent.split('-')[1] ?? '';
}

/**
 * A traceparent in a trace already under way (a submission's, by its trace id), with a span id of its
 * own: how a later step of the submission, such as its webhook, joins the submission's trace.
 */
export function traceparentInTrace(traceId: string): string {
  return `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
}
