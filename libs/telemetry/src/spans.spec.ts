import { context, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { SpanKind, inSpan, markSpan, spanContextOf, traceparentOf } from './spans';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('spans with telemetry off (no tracer provider registered)', () => {
  it("carries a traceparent on unchanged: a span's traceparent is its parent's", async () => {
    const seen = await inSpan('step', { parent: PARENT }, async (span) => traceparentOf(span));
    expect(seen).toBe(PARENT);
  });

  it('makes no trace of its own for a root span, and ignores a parent that is not a traceparent', async () => {
    expect(traceparentOf(markSpan('member', { root: true }))).toBeNull();
    expect(await inSpan('step', { parent: 'not-a-traceparent' }, async (span) => traceparentOf(span))).toBeNull();
  });
});

describe('spans with telemetry on', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  beforeAll(() => provider.register());
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  const finished = (name: string) => exporter.getFinishedSpans().find((s) => s.name === name)!;

  it("continues a traceparent's trace under its span, and nests the spans started inside", async () => {
    const childTraceparent = await inSpan('process judge', { kind: SpanKind.CONSUMER, parent: PARENT }, () => inSpan('run test', {}, async (span) => traceparentOf(span)));
    const outer = finished('process judge');
    const inner = finished('run test');
    expect(outer.spanContext().traceId).toBe(spanContextOf(PARENT)!.traceId);
    expect(outer.parentSpanContext?.spanId).toBe(spanContextOf(PARENT)!.spanId);
    expect(outer.kind).toBe(SpanKind.CONSUMER);
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(childTraceparent).toBe(`00-${inner.spanContext().traceId}-${inner.spanContext().spanId}-01`);
  });

  it('records an error on the span, ends it, and rethrows', async () => {
    await expect(inSpan('compile', {}, async () => Promise.reject(new Error('docker is down')))).rejects.toThrow('docker is down');
    expect(finished('compile').status).toMatchObject({ code: 2, message: 'docker is down' });
    expect(finished('compile').events.map((e) => e.name)).toContain('exception');
  });

  it('starts a new trace for a root span, linked to what it names', async () => {
    const member = await inSpan('batch request', {}, async () => markSpan('batch member', { root: true, links: [{ context: spanContextOf(PARENT)! }] }));
    const span = finished('batch member');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(finished('batch request').spanContext().traceId);
    expect(span.links.map((l) => l.context.spanId)).toEqual([spanContextOf(PARENT)!.spanId]);
    expect(traceparentOf(member)).toMatch(new RegExp(`^00-${span.spanContext().traceId}-`));
  });
});
