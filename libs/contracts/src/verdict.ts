/** Outcome of one test or of a whole submission. */
export const VERDICTS = ['AC', 'WA', 'PE', 'PA', 'TLE', 'MLE', 'RE', 'CE', 'OLE', 'IE'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_DESCRIPTIONS: Record<Verdict, string> = {
  AC: 'Accepted',
  WA: 'Wrong answer',
  PE: 'Presentation error (a special judge found the answer right but badly formatted)',
  PA: 'Partially accepted (a special judge gave part of the score)',
  TLE: 'Time limit exceeded',
  MLE: 'Memory limit exceeded',
  RE: 'Runtime error',
  CE: 'Compilation error',
  OLE: 'Output limit exceeded',
  IE: 'Internal error of the judge',
};

/**
 * A submission's verdict is its first failing test's verdict (tests run in order), or AC when every
 * test passed. A submission with no test results (compilation failed, judge failed) takes the verdict given.
 */
export function overallVerdict(testVerdicts: readonly Verdict[]): Verdict {
  return testVerdicts.find((v) => v !== 'AC') ?? 'AC';
}
