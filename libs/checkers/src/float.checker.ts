import { CheckerSpec } from '@verdict/contracts';
import { Checker, CheckResult } from './checker';
import { compareTokens } from './tokens.checker';

/** Used when a float checker names neither tolerance. */
export const DEFAULT_FLOAT_TOLERANCE = 1e-6;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Tokens compared as numbers where the expected token is one: accepted when the absolute or the
 * relative error is within tolerance. Other tokens must match exactly.
 */
export class FloatChecker implements Checker {
  check(expected: string, actual: string, spec: CheckerSpec): CheckResult {
    const bothUnset = spec.absError === undefined && spec.relError === undefined;
    const absError = spec.absError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0);
    const relError = spec.relError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0);
    return compareTokens(expected, actual, (want, got) => {
      if (!NUMBER.test(want)) return want === got;
      if (!NUMBER.test(got)) return false;
      const e = Number(want);
      const a = Number(got);
      const diff = Math.abs(a - e);
      return diff <= absError || diff <= relError * Math.abs(e);
    });
  }
}
