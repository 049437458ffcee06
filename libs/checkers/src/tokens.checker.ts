import { ACCEPTED, Checker, CheckResult, quote } from './checker';

export function tokenize(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/**
 * Compares whitespace-separated tokens, so spacing, line breaks and a missing final newline do not
 * matter. `same` decides whether two tokens match (exact by default; the float checker loosens it).
 */
export function compareTokens(
  expected: string,
  actual: string,
  same: (expected: string, actual: string) => boolean = (a, b) => a === b,
): CheckResult {
  const want = tokenize(expected);
  const got = tokenize(actual);
  const n = Math.min(want.length, got.length);
  for (let i = 0; i < n; i++) {
    if (!same(want[i], got[i])) {
      return { accepted: false, message: `token ${i + 1}: expected ${quote(want[i])}, got ${quote(got[i])}` };
    }
  }
  if (want.length !== got.length) {
    return {
      accepted: false,
      message: got.length < want.length
        ? `output ended after ${got.length} tokens, expected ${want.length} (next expected ${quote(want[n])})`
        : `output has ${got.length} tokens, expected ${want.length} (first extra ${quote(got[n])})`,
    };
  }
  return ACCEPTED;
}

export class TokensChecker implements Checker {
  check(expected: string, actual: string): CheckResult {
    return compareTokens(expected, actual);
  }
}
