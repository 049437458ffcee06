import { decideByExitCode } from '@verdict/checkers';
import { Verdict } from '@verdict/contracts';
import { PeerResult, RunResult } from '@verdict/sandbox';
import { constants } from 'node:os';
import { RunLimits, classifyRun } from './run-classification';

const SIGPIPE = constants.signals.SIGPIPE;

export type InteractionOutcome =
  | { verdict: Exclude<Verdict, 'CE' | 'IE'>; score: number; message: string }
  /** The interactor failed (FAIL, a crash, its own limits): the judge's fault, not the submission's. */
  | { failure: string };

/**
 * The verdict of one interactive test, from both sides' measurements. The interactor decides by its
 * exit code (testlib, or Kattis 42/43), except where the submission's own end says more:
 * - the submission was stopped at a limit before the interactor ended: TLE, MLE or OLE (the
 *   interactor then only saw its input close);
 * - the interactor rejected (WA, PE, PA): its verdict, since a submission whose input the
 *   interactor closed fails somehow (an EOF error, a SIGPIPE); unless the submission was killed by
 *   a signal of its own (a crash) and the interactor did not end first: then RE;
 * - the interactor accepted: RE if the submission failed anyway, else AC.
 * Which side ended first is only trusted where it cannot be a race: the harness counts a side it
 * killed as ended when it killed it.
 */
export function classifyInteraction(program: RunResult, peer: PeerResult, limits: RunLimits, memoryErrorMarkers: readonly string[] = []): InteractionOutcome {
  const said = peer.stderr.toString('utf8');
  if (peer.killedBy !== 'none') return { failure: `the interactor exceeded its ${peer.killedBy} limit` };
  const decision = decideByExitCode(peer.exitCode, said);
  if ('failure' in decision) return { failure: `the interactor failed: ${decision.failure}${said.trim() ? ` (it said: ${said.trim().slice(0, 500)})` : ''}` };
  const ended = classifyRun(program, limits, memoryErrorMarkers);
  const stoppedAtLimit = ended.verdict === 'TLE' || ended.verdict === 'MLE' || ended.verdict === 'OLE';
  if (ended.verdict && stoppedAtLimit && !peer.exitedFirst) return { verdict: ended.verdict, score: 0, message: ended.message };
  if (decision.verdict !== 'AC') {
    const crashed = program.signal !== null && program.signal !== SIGPIPE && program.killedBy === 'none';
    return crashed && !peer.exitedFirst && ended.verdict ? { verdict: ended.verdict, score: 0, message: ended.message } : decision;
  }
  if (ended.verdict) return { verdict: ended.verdict, score: 0, message: ended.message };
  return decision;
}
