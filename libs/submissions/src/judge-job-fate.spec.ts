import { SweepObservations, compareStreamIds, describeJudgeJobFate, fateOfJobState, streamIdTime } from './judge-job-fate';

describe('judge job fate', () => {
  it('leaves a job alone while it may still run and report', () => {
    for (const state of ['waiting', 'delayed', 'prioritized', 'active', 'waiting-children'] as const) {
      expect(fateOfJobState(state, null)).toBeNull();
    }
  });

  it('seals the fate of a failed, completed or missing job', () => {
    expect(fateOfJobState('failed', 'job stalled more than allowable limit')).toEqual({ kind: 'failed', failedReason: 'job stalled more than allowable limit' });
    expect(fateOfJobState('failed', null)).toEqual({ kind: 'failed', failedReason: 'no reason recorded' });
    expect(fateOfJobState('completed', null)).toEqual({ kind: 'completed' });
    expect(fateOfJobState('unknown', null)).toEqual({ kind: 'gone' });
  });

  it('names what happened to the job', () => {
    expect(describeJudgeJobFate({ kind: 'failed', failedReason: 'boom' })).toBe('the judge job failed: boom');
    expect(describeJudgeJobFate({ kind: 'removed', prev: 'wait' })).toBe('the judge job was removed from the queue before it finished (it was waiting)');
    expect(describeJudgeJobFate({ kind: 'removed', prev: 'delayed' })).toBe('the judge job was removed from the queue before it finished (it was delayed)');
    expect(describeJudgeJobFate({ kind: 'removed', prev: 'completed' })).toBe('the judge job was removed from the queue after it completed, and its result never arrived');
    expect(describeJudgeJobFate({ kind: 'gone' })).toMatch(/^the judge job is no longer in the queue/);
    expect(describeJudgeJobFate({ kind: 'completed' })).toBe('the judge job completed, but its result never arrived');
  });

  it('orders stream ids by time, then sequence, as numbers', () => {
    expect(compareStreamIds('1700000000000-0', '1700000000000-0')).toBe(0);
    expect(compareStreamIds('1700000000000-2', '1700000000000-10')).toBe(-1);
    expect(compareStreamIds('1700000000001-0', '1700000000000-99')).toBe(1);
    expect(compareStreamIds('999-0', '1000-0')).toBe(-1);
    expect(streamIdTime('1700000000123-4')).toBe(1700000000123);
  });
});

describe('SweepObservations', () => {
  it('confirms a fate only when the previous pass saw the same one', () => {
    const seen = new SweepObservations();
    expect(seen.confirm('a', { kind: 'gone' })).toBe(false);
    seen.endPass();
    expect(seen.confirm('a', { kind: 'gone' })).toBe(true);
  });

  it('does not confirm a job that was back in between, or whose fate changed', () => {
    const seen = new SweepObservations();
    seen.confirm('back', { kind: 'gone' });
    seen.confirm('changed', { kind: 'failed', failedReason: 'first' });
    seen.endPass();
    // "back" was in the queue on this pass: not observed.
    expect(seen.confirm('changed', { kind: 'failed', failedReason: 'second' })).toBe(false);
    seen.endPass();
    expect(seen.confirm('back', { kind: 'gone' })).toBe(false);
    expect(seen.confirm('changed', { kind: 'failed', failedReason: 'second' })).toBe(true);
  });
});
