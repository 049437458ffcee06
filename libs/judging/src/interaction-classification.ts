import { decideByExitCode } from '@verdict/checkers';
import { Verdict } from '@verdict/contracts';
import { PeerResult, RunResult } from '@verdict/sandbox';
import { RunLimits, classifyRun } from './run-classification';

export type InteractionOutcome =
  | { verdict: Exclude<Verdict, 'CE' | 'IE'>; score: number; message: string }
  /** The interactor failed (FAIL, a crash, its own limits): the judge's fault, not the submission's. */
  | { failure: string };

/**
 * The verdict of one interactive test, from both sides' measurements. The interactor decides by its
 * exit code (testlib, or Kattis 42/43), except where the submission's own end says more:
 * - the interactor ended first and rejected: its verdict stands, whatever the submission did after
 *   its input was closed (a SIGPIPE, a hang until its time limit);
 * - otherwise a submission that hit a limit or crashed gets that verdict (TLE, MLE, OLE, RE);
 * - otherwise the interactor's verdict.
 */
export function classifyInteraction(program: RunResult, peer: PeerResult, limits: RunLimits, memoryErrorMarkers: readonly string[] = []): InteractionOutcome {
  const said = peer.stderr.toString('utf8');
  if (peer.killedBy !== 'none') return { failure: `the interactor exceeded its ${peer.killedBy} limit` };
  const decision = decideByExitCode(peer.exitCode, said);
  if ('failure' in decision) return { failure: `the interactor failed: ${decision.failure}${said.trim() ? ` (it said: ${said.trim().slice(0, 500)})` : ''}` };
  if (peer.exitedFirst && decision.verdict !== 'AC') return decision;
  const ended = classifyRun(program, limits, memoryErrorMarkers);
  if (ended.verdict) return { verdict: ended.verdict, score: 0, message: ended.message };
  return decision;
}
