import { Attributes, Context, Link, Span, SpanContext, SpanKind, SpanStatusCode, context, isSpanContextValid, trace } from '@opentelemetry/api';

export { SpanKind };
export type { Span, SpanContext };

/** The project's own spans (HTTP, Redis and pino spans come from the auto-instrumentations). */
const tracer = trace.getTracer('verdict');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The span context a W3C traceparent names (a remote parent: a job's, a stream entry's, a webhook
 * delivery's), or null when it is not one. Read by hand rather than through the global propagator,
 * so that with telemetry off a traceparent still carries on unchanged (see `inSpan`).
 */
export function spanContextOf(traceparent: string | undefined): SpanContext | null {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return null;
  const spanContext = { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16), isRemote: true };
  return isSpanContextValid(spanContext) ? spanContext : null;
}

/** The active span's context, if a span is active. */
export function activeSpanContext(): SpanContext | null {
  const active = trace.getActiveSpan()?.spanContext();
  return active && isSpanContextValid(active) ? active : null;
}

/** A valid span context as a W3C traceparent. */
export function traceparentOfContext(c: SpanContext): string {
  return `00-${c.traceId}-${c.spanId}-${c.traceFlags.toString(16).padStart(2, '0')}`;
}

/** The traceparent of a span, or null for one outside any trace (a root span while telemetry is off). */
export function traceparentOf(span: Span): string | null {
  const c = span.spanContext();
  return isSpanContextValid(c) ? traceparentOfContext(c) : null;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** The parent, as a traceparent carried by a job, a stream entry or a delivery; else the active span. */
  parent?: string;
  /** A new trace (a batch member's own), whatever is active. */
  root?: boolean;
}

/**
 * Runs `work` in a new span that is active for everything `work` does, and ends it when `work`
 * settles, recording a thrown error on it. With telemetry off the tracer is OpenTelemetry's no-op
 * one: the span is the parent's context, not recorded, so `traceparentOf` of it is the parent's
 * traceparent and the submission keeps one trace id either way.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = parentContext(options);
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links, root: options.root }, parent);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span started and ended at once (a batch member's root, which its job's spans continue later). */
export function markSpan(name: string, options: SpanOptions): Span {
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links, root: options.root }, parentContext(options));
  span.end();
  return span;
}

function parentContext(options: SpanOptions): Context {
  const active = context.active();
  if (options.parent === undefined) return active;
  const remote = spanContextOf(options.parent);
  return remote ? trace.setSpanContext(active, remote) : active;
}
