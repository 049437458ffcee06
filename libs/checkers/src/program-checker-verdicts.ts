import { Verdict } from '@verdict/contracts';

/** What a checker (or interactor) program decided about one test. */
export type ProgramCheckerDecision =
  | { verdict: Extract<Verdict, 'AC' | 'WA' | 'PE' | 'PA'>; score: number; message: string }
  /** The checker itself failed (testlib's FAIL, a crash, a protocol it does not follow): the judge's fault. */
  | { failure: string };

/** testlib's exit codes (testlib.h: _ok, _wa, _pe, _fail, _dirt, _points, _unexpected_eof, _partially). */
const TESTLIB_OK = 0;
const TESTLIB_WA = 1;
const TESTLIB_PE = 2;
const TESTLIB_FAIL = 3;
const TESTLIB_DIRT = 4;
const TESTLIB_POINTS = 7;
const TESTLIB_UNEXPECTED_EOF = 8;
const TESTLIB_PARTIALLY = 16;

/** Kattis output validators: exit 42 accepted, 43 wrong answer (the problem package format's rule). */
const KATTIS_ACCEPTED = 42;
const KATTIS_WRONG = 43;

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

/**
 * A testlib checker's (or interactor's) verdict from its exit code and what it printed. `points`
 * (exit 7, `quitp`) gives the test a score: the first number it printed, as the fraction of the
 * test's worth it earned (0..1); `partially` (exit 16 + p, `quitpi`-style) gives p percent. Kattis
 * validators' 42 and 43 are understood too, so one program can serve either convention.
 */
export function decideByExitCode(exitCode: number | null, message: string): ProgramCheckerDecision {
  const text = message.trim();
  switch (exitCode) {
    case TESTLIB_OK:
    case KATTIS_ACCEPTED:
      return { verdict: 'AC', score: 1, message: text };
    case TESTLIB_WA:
    case TESTLIB_UNEXPECTED_EOF:
    case KATTIS_WRONG:
      return { verdict: 'WA', score: 0, message: text };
    case TESTLIB_PE:
    case TESTLIB_DIRT:
      return { verdict: 'PE', score: 0, message: text };
    case TESTLIB_FAIL:
      return { failure: `it reported a failure (exit code 3)${text ? `: ${text}` : ''}` };
    case TESTLIB_POINTS: {
      const points = NUMBER.exec(text);
      const score = points ? Number(points[0]) : NaN;
      if (!(score >= 0 && score <= 1)) return { failure: `it gave points (exit code 7) but no score between 0 and 1 first in its message: ${JSON.stringify(text.slice(0, 200))}` };
      return scored(score, text);
    }
    default:
      if (exitCode !== null && exitCode >= TESTLIB_PARTIALLY && exitCode <= TESTLIB_PARTIALLY + 100) return scored((exitCode - TESTLIB_PARTIALLY) / 100, text);
      return { failure: exitCode === null ? 'it was killed by a signal' : `it exited with code ${exitCode}, which is no verdict` };
  }
}

function scored(score: number, message: string): ProgramCheckerDecision {
  if (score >= 1) return { verdict: 'AC', score: 1, message };
  return { verdict: score > 0 ? 'PA' : 'WA', score, message };
}
