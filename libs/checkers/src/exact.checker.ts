import { ACCEPTED, Checker, CheckResult, quote } from './checker';

/** Output must equal the expected output byte for byte, whitespace and final newline included. */
export class ExactChecker implements Checker {
  check(expected: string, actual: string): CheckResult {
    if (expected === actual) return ACCEPTED;
    let i = 0;
    while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
    const line = expected.slice(0, i).split('\n').length;
    return {
      accepted: false,
      message: `outputs differ at byte ${i} (line ${line}): expected ${quote(expected.slice(i, i + 20))}, got ${quote(actual.slice(i, i + 20))}`,
    };
  }
}
