import { ByteStream } from './bytes';
import { Checker, CheckResult } from './checker';
import { compareTokens } from './tokens.checker';

/** Tokens compared without regard to case, for answers such as YES/yes/Yes. */
export class CaseInsensitiveTokensChecker implements Checker {
  check(expected: ByteStream, actual: Buffer): Promise<CheckResult> {
    return compareTokens(expected, actual, {
      asciiCaseless: true,
      // Reached only by tokens that differ beyond ASCII case: letters such as É/é still match.
      same: (want, got) => want.toString('utf8').toLowerCase() === got.toString('utf8').toLowerCase(),
    });
  }
}
