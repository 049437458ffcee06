import { SubmissionView, TestResult } from '@verdict/contracts';
import { eventsAfter, progressEvents } from './submission-progress';

const test = (index: number): TestResult => ({ index, name: String(index + 1), verdict: 'AC' }) as TestResult;

function view(overrides: Partial<SubmissionView>): SubmissionView {
  return {
    id: 's1', status: 'queued', language: 'python', verdict: null, tests: [], testCount: 3, createdAt: '2026-12-06T00:00:00.000Z',
    startedAt: null, finishedAt: null, compileOutput: null, ...overrides,
  } as SubmissionView;
}

describe('progressEvents', () => {
  it('a queued submission: queued only', () => {
    expect(progressEvents(view({}), true).map((e) => e.id)).toEqual(['queued']);
  });

  it('started: compiling when the language compiles, running when it does not', () => {
    expect(progressEvents(view({ status: 'running', startedAt: 't' }), true)[1]).toMatchObject({ id: 'started', type: 'compiling' });
    expect(progressEvents(view({ status: 'running', startedAt: 't' }), false)[1]).toMatchObject({ id: 'started', type: 'running' });
  });

  it('tests judged so far in order, each "i of n" by its number in the run, then completed with the whole view once terminal', () => {
    const done = view({ status: 'completed', verdict: 'WA', startedAt: 't', compileOutput: '', tests: [test(0), test(2)], finishedAt: 'u' });
    const events = progressEvents(done, true);
    expect(events.map((e) => e.id)).toEqual(['queued', 'started', 'compiled', 'test-0', 'test-2', 'completed']);
    expect(events[4].data).toEqual({ number: 3, of: 3, result: test(2) });
    expect(events[5].data).toBe(done);
  });

  it('a submission that failed before it started: queued, then completed', () => {
    expect(progressEvents(view({ status: 'failed', verdict: 'IE' }), true).map((e) => e.type)).toEqual(['queued', 'completed']);
  });
});

describe('eventsAfter (Last-Event-ID)', () => {
  const events = progressEvents(view({ status: 'running', startedAt: 't', compileOutput: '', tests: [test(0), test(1)] }), true);

  it('everything for a new client', () => {
    expect(eventsAfter(events, undefined)).toEqual(events);
  });

  it('what follows the id the client saw last, nothing when it saw the last one', () => {
    expect(eventsAfter(events, 'test-0').map((e) => e.id)).toEqual(['test-1']);
    expect(eventsAfter(events, 'test-1')).toEqual([]);
  });

  it('everything again for an id that is not there (a judging that started over)', () => {
    expect(eventsAfter(events, 'test-7')).toEqual(events);
  });
});
