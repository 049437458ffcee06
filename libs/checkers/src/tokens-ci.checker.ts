import { Checker, CheckResult } from './checker';
import { compareTokens } from './tokens.checker';

/** Tokens compared without regard to case, for answers such as YES/yes/Yes. */
export class CaseInsensitiveTokensChecker implements Checker {
  check(expected: string, actual: string): CheckResult {
    return compareTokens(expected, actual, (want, got) => want.toLowerCase() === got.toLowerCase());
  }
}
