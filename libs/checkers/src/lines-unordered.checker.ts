import { ACCEPTED, Checker, CheckResult, quote } from './checker';

/** Non-empty lines, each trimmed of surrounding whitespace. */
function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/**
 * The same lines in any order (as a multiset): for problems whose answer is a set of lines, such as
 * "print every pair". Surrounding whitespace and blank lines do not matter.
 */
export class LinesUnorderedChecker implements Checker {
  check(expected: string, actual: string): CheckResult {
    const missing = new Map<string, number>();
    for (const line of lines(expected)) missing.set(line, (missing.get(line) ?? 0) + 1);
    const got = lines(actual);
    for (const line of got) {
      const left = missing.get(line);
      if (!left) return { accepted: false, message: `unexpected line ${quote(line)}` };
      if (left === 1) missing.delete(line);
      else missing.set(line, left - 1);
    }
    const [first] = missing.keys();
    if (first !== undefined) return { accepted: false, message: `missing line ${quote(first)} (got ${got.length} lines, expected ${got.length + [...missing.values()].reduce((a, b) => a + b, 0)})` };
    return ACCEPTED;
  }
}
