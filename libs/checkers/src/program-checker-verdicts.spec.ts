import { decideByExitCode } from './program-checker-verdicts';

describe('decideByExitCode (testlib and Kattis conventions)', () => {
  it.each([
    [0, 'AC'],
    [42, 'AC'],
    [1, 'WA'],
    [8, 'WA'],
    [43, 'WA'],
    [2, 'PE'],
    [4, 'PE'],
  ])('exit code %i is %s', (code, verdict) => {
    expect(decideByExitCode(code, ' ok 3 numbers\n')).toMatchObject({ verdict, message: 'ok 3 numbers' });
  });

  it('reads a score for points (exit 7) and partially (exit 16 + percent)', () => {
    expect(decideByExitCode(7, '0.25 two of eight')).toEqual({ verdict: 'PA', score: 0.25, message: '0.25 two of eight' });
    expect(decideByExitCode(7, 'points 1')).toMatchObject({ verdict: 'AC', score: 1 });
    expect(decideByExitCode(7, '0 nothing right')).toMatchObject({ verdict: 'WA', score: 0 });
    expect(decideByExitCode(66, '')).toMatchObject({ verdict: 'PA', score: 0.5 });
  });

  it('calls a FAIL, a crash, an unknown code or a score out of range a failure of the checker, never a verdict', () => {
    expect(decideByExitCode(3, 'answer file is broken')).toEqual({ failure: 'it reported a failure (exit code 3): answer file is broken' });
    expect(decideByExitCode(null, '')).toEqual({ failure: 'it was killed by a signal' });
    expect(decideByExitCode(5, '')).toEqual({ failure: 'it exited with code 5, which is no verdict' });
    expect(decideByExitCode(7, '12 points')).toHaveProperty('failure');
    expect(decideByExitCode(7, 'no number')).toHaveProperty('failure');
  });
});
