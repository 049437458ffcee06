import { SubmissionView, TestResult, isTerminalStatus } from '@verdict/contracts';

/** One live-progress event of a submission, as server-sent events carry it. */
export type ProgressEvent =
  | { id: 'queued'; type: 'queued'; data: { id: string; status: 'queued'; createdAt: string; testCount: number } }
  | { id: 'started'; type: 'compiling' | 'running'; data: { status: 'running'; startedAt: string } }
  | { id: 'compiled'; type: 'compiled'; data: { compileOutput: string } }
  | { id: `test-${number}`; type: 'test'; data: { number: number; of: number; result: TestResult } }
  | { id: 'completed'; type: 'completed'; data: SubmissionView };

/**
 * A submission's progress as the ordered list of events that led to its current record. Derived
 * from the (already disclosed) view, not logged: any replica can serve any client, a client that
 * connects late gets the current state as the events so far, and an event's id names its place,
 * so `Last-Event-ID` resumes after it. `compiles`: the language has a compile step (the start is
 * then "compiling").
 */
export function progressEvents(view: SubmissionView, compiles: boolean): ProgressEvent[] {
  const events: ProgressEvent[] = [{ id: 'queued', type: 'queued', data: { id: view.id, status: 'queued', createdAt: view.createdAt, testCount: view.testCount } }];
  if (view.startedAt !== null) events.push({ id: 'started', type: compiles ? 'compiling' : 'running', data: { status: 'running', startedAt: view.startedAt } });
  if (view.compileOutput !== null) events.push({ id: 'compiled', type: 'compiled', data: { compileOutput: view.compileOutput } });
  for (const result of view.tests) events.push({ id: `test-${result.index}`, type: 'test', data: { number: result.index + 1, of: view.testCount, result } });
  if (isTerminalStatus(view.status)) events.push({ id: 'completed', type: 'completed', data: view });
  return events;
}

/** The events after the one a client saw last; all of them for a new client or an id no longer there. */
export function eventsAfter(events: ProgressEvent[], lastEventId: string | undefined): ProgressEvent[] {
  const seen = lastEventId === undefined ? -1 : events.findIndex((event) => event.id === lastEventId);
  return events.slice(seen + 1);
}
