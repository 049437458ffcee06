import { decideByExitCode } from '@verdict/checkers';
import { Verdict } from '@verdict/contracts';
import { PeerResult, RunResult } from '@verdict/sandbox';
import { RunLimits, classifyRun } from './run-classification';

export type InteractionOutcome =
  | { verdict: Exclude<Verdict, 'CE' | 'IE'>; score: number; message: string }
  /** The interactor failed (FAIL, a crash, its own limits): the judge's fault, not the submission's. */
  | { failure: string };

/**
 * The verdict of one interactive test, from both sides' measurements, decided as the Kattis runner
 * does:
 * - the interactor ended first with a rejection (WA, PE, PA): its verdict, whatever the submission
 *   did once its input closed (an EOF error, a SIGPIPE, waiting until a limit);
 * - otherwise the submission's own failure comes first: a limit (TLE, MLE, OLE), a crash or a
 *   non-zero exit (RE), even where the interactor, its input closed, then rejected or failed;
 * - otherwise the interactor decides: its verdict, or, if it failed (FAIL, a crash, its own limits),
 *   a failure of the judge.
 * The harness runs the interactor with SIGPIPE ignored, so a submission that ends early shows the
 * interactor an end of file or EPIPE, never a death by signal. Which side ended first is the
 * harness's order of their exits; it counts a side it killed as ended when it killed it.
 */
export function classifyInteraction(program: RunResult, peer: PeerResult, limits: RunLimits, memoryErrorMarkers: readonly string[] = []): InteractionOutcome {
  const said = peer.stderr.toString('utf8');
  const decision = peer.killedBy !== 'none' ? { failure: `exceeded its ${peer.killedBy} limit` } : decideByExitCode(peer.exitCode, said);
  if (peer.exitedFirst && !('failure' in decision) && decision.verdict !== 'AC') return decision;
  const ended = classifyRun(program, limits, memoryErrorMarkers);
  if (ended.verdict) return { verdict: ended.verdict, score: 0, message: ended.message };
  if ('failure' in decision) {
    const detail = peer.killedBy === 'none' && said.trim() ? ` (it said: ${said.trim().slice(0, 500)})` : '';
    return { failure: `the interactor ${peer.killedBy !== 'none' ? decision.failure : `failed: ${decision.failure}`}${detail}` };
  }
  return decision;
}
