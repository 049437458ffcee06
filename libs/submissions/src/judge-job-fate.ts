import { JobState } from 'bullmq';

/**
 * What became of a submission's judge job when it will never report a result itself: BullMQ failed
 * it (stalled too often, a processor error outside the judge), someone removed it, it vanished from
 * the queue without an event (cleaned, drained, obliterated, never queued), or it completed and its
 * result was lost on the way.
 */
export type JudgeJobFate =
  | { kind: 'failed'; failedReason: string }
  /** `prev`: the state BullMQ removed it from (wait, delayed, prioritized, paused, completed, failed, ...). */
  | { kind: 'removed'; prev: string }
  | { kind: 'gone' }
  | { kind: 'completed' };

/** The job's state as BullMQ reports it; 'unknown' when there is no such job. */
export type ObservedJobState = JobState | 'unknown';

/**
 * The fate a job's current state seals, or null while the job may still run and report (waiting,
 * delayed, prioritized, active, waiting for children): those must be left alone.
 */
export function fateOfJobState(state: ObservedJobState, failedReason: string | null): JudgeJobFate | null {
  switch (state) {
    case 'failed':
      return { kind: 'failed', failedReason: failedReason ?? 'no reason recorded' };
    case 'completed':
      return { kind: 'completed' };
    case 'unknown':
      return { kind: 'gone' };
    default:
      return null;
  }
}

/** The message the submission's final `failed` result carries: what happened to its job. */
export function describeJudgeJobFate(fate: JudgeJobFate): string {
  switch (fate.kind) {
    case 'failed':
      return `the judge job failed: ${fate.failedReason}`;
    case 'removed':
      // A finished job removed before its result was applied: the result, not the judging, was lost.
      return fate.prev === 'completed' || fate.prev === 'failed'
        ? `the judge job was removed from the queue after it ${fate.prev}, and its result never arrived`
        : `the judge job was removed from the queue before it finished (it was ${fate.prev === 'wait' ? 'waiting' : fate.prev})`;
    case 'gone':
      return 'the judge job is no longer in the queue (cleaned, drained or obliterated, or never queued) and no result arrived';
    case 'completed':
      return 'the judge job completed, but its result never arrived';
  }
}

/** Compares two Redis Stream ids (`<ms>-<seq>`) numerically: negative, zero or positive. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq = '0'] = a.split('-');
  const [bMs, bSeq = '0'] = b.split('-');
  const byMs = BigInt(aMs) - BigInt(bMs);
  const bySeq = BigInt(aSeq) - BigInt(bSeq);
  const difference = byMs !== 0n ? byMs : bySeq;
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Milliseconds since the epoch at which a Redis Stream entry was added (the first part of its id). */
export function streamIdTime(id: string): number {
  return Number(id.split('-')[0]);
}

/**
 * The sweep acts on a job only when two passes in a row saw the same fate: a job briefly missing
 * (its submission stored an instant before it was queued, or an operator removing a job to add it
 * again under the same id) or a result still on its way is never mistaken for a lost one.
 */
export class SweepObservations {
  private previous = new Map<string, string>();
  private current = new Map<string, string>();

  /** Records this pass's fate of a job; true when the previous pass saw the same one. */
  confirm(jobId: string, fate: JudgeJobFate): boolean {
    const key = fate.kind === 'failed' ? `failed:${fate.failedReason}` : fate.kind;
    this.current.set(jobId, key);
    return this.previous.get(jobId) === key;
  }

  /** Ends a pass: what it saw is what the next one compares against; a job it did not see is forgotten. */
  endPass(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
