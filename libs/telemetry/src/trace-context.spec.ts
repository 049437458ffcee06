import { traceIdOf, traceparentForCurrentContext, traceparentInTrace } from './trace-context';

describe('traceparentForCurrentContext', () => {
  it('starts a new valid W3C trace when no span is active', () => {
    const a = traceparentForCurrentContext();
    const b = traceparentForCurrentContext();
    expect(a).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceIdOf(a)).not.toBe(traceIdOf(b));
    expect(traceIdOf(a)).toHaveLength(32);
  });
});

describe('traceparentInTrace', () => {
  it('joins the given trace with a span id of its own', () => {
    const submission = traceparentForCurrentContext();
    const webhook = traceparentInTrace(traceIdOf(submission));
    expect(webhook).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceIdOf(webhook)).toBe(traceIdOf(submission));
    expect(webhook).not.toBe(submission);
  });
});
