import { CheckerSpec } from '@verdict/contracts';
import { ByteStream } from './bytes';
import { Checker, CheckResult } from './checker';
import { compareTokens } from './tokens.checker';

/** Used when a float checker names neither tolerance. */
export const DEFAULT_FLOAT_TOLERANCE = 1e-6;

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/**
 * Whether a token is a decimal number, [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?, in one pass: a
 * backtracking regular expression takes quadratic time on a long run of digits that ends badly,
 * and the output's tokens are the user's.
 */
export function isDecimalNumber(token: Buffer): boolean {
  const n = token.length;
  let i = 0;
  if (i < n && (token[i] === 0x2b || token[i] === 0x2d)) i++;
  let digits = 0;
  while (i < n && isDigit(token[i])) {
    i++;
    digits++;
  }
  if (i < n && token[i] === 0x2e) {
    i++;
    while (i < n && isDigit(token[i])) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < n && (token[i] === 0x65 || token[i] === 0x45)) {
    i++;
    if (i < n && (token[i] === 0x2b || token[i] === 0x2d)) i++;
    const exponentStart = i;
    while (i < n && isDigit(token[i])) i++;
    if (i === exponentStart) return false;
  }
  return i === n;
}

/**
 * Tokens compared as numbers where the expected token is one: accepted when the absolute or the
 * relative error is within tolerance. Other tokens must match exactly.
 */
export class FloatChecker implements Checker {
  check(expected: ByteStream, actual: Buffer, spec: CheckerSpec): Promise<CheckResult> {
    const bothUnset = spec.absError === undefined && spec.relError === undefined;
    const absError = spec.absError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0);
    const relError = spec.relError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0);
    return compareTokens(expected, actual, {
      same: (want, got) => {
        if (!isDecimalNumber(want) || !isDecimalNumber(got)) return false;
        // Decimal numbers are ASCII, and latin1 decodes ASCII without the UTF-8 decoder's work.
        const e = Number(want.toString('latin1'));
        const a = Number(got.toString('latin1'));
        const diff = Math.abs(a - e);
        return diff <= absError || diff <= relError * Math.abs(e);
      },
    });
  }
}
