import { ByteStream, isSpace, quoteBytes } from './bytes';
import { ACCEPTED, Checker, CheckResult } from './checker';

/** How two tokens compare; tokens with the same bytes always match. */
export interface TokenRule {
  /** A-Z match a-z: decided in the byte loop, so that answers differing only in case never leave it. */
  asciiCaseless?: boolean;
  /** Decides tokens whose bytes differ (beyond ASCII case); without it they differ. */
  same?(want: Buffer, got: Buffer): boolean;
}

/**
 * Calls `visit` with each whitespace-separated token of a stream, in order, until it returns false.
 * A token cut by a chunk boundary is joined first, so memory stays one chunk plus the longest token.
 */
export async function eachToken(chunks: ByteStream, visit: (bytes: Buffer, start: number, end: number) => boolean): Promise<void> {
  let cut: Buffer[] = [];
  for await (const chunk of chunks) {
    const n = chunk.length;
    let i = 0;
    if (cut.length > 0) {
      while (i < n && !isSpace(chunk[i])) i++;
      cut.push(i === n ? chunk : chunk.subarray(0, i));
      if (i === n) continue;
      const token = Buffer.concat(cut);
      cut = [];
      if (!visit(token, 0, token.length)) return;
    }
    for (;;) {
      while (i < n && isSpace(chunk[i])) i++;
      if (i === n) break;
      const start = i;
      while (i < n && !isSpace(chunk[i])) i++;
      if (i === n) {
        cut.push(chunk.subarray(start));
        break;
      }
      if (!visit(chunk, start, i)) return;
    }
  }
  if (cut.length > 0) {
    const token = Buffer.concat(cut);
    visit(token, 0, token.length);
  }
}

/** Walks the tokens of the program's output, which is in memory whole. */
class OutputTokens {
  start = 0;
  end = 0;

  constructor(readonly bytes: Buffer) {}

  /** Moves to the next token; false at the end of the output. */
  next(): boolean {
    const b = this.bytes;
    let i = this.end;
    while (i < b.length && isSpace(b[i])) i++;
    if (i === b.length) return false;
    this.start = i;
    while (i < b.length && !isSpace(b[i])) i++;
    this.end = i;
    return true;
  }
}

function sameBytes(a: Buffer, aStart: number, aEnd: number, b: Buffer, bStart: number, bEnd: number, caseless: boolean): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = aStart, j = bStart; i < aEnd; i++, j++) {
    let x = a[i];
    let y = b[j];
    if (x === y) continue;
    if (!caseless) return false;
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return false;
  }
  return true;
}

/**
 * Compares whitespace-separated tokens (ASCII whitespace), so spacing, line breaks and a missing
 * final newline do not matter. Streams the expected tokens against the output's and stops at the
 * first difference; only when the output ends early does it read on, to count the expected tokens.
 */
export async function compareTokens(expected: ByteStream, actual: Buffer, rule: TokenRule = {}): Promise<CheckResult> {
  const caseless = rule.asciiCaseless ?? false;
  const got = new OutputTokens(actual);
  let matched = 0;
  let mismatch: string | null = null;
  /** Set when the output ran out: the expected token it lacked; from then on the expected tokens are only counted. */
  let nextExpected: string | null = null;
  let expectedCount = 0;
  await eachToken(expected, (want, start, end) => {
    expectedCount++;
    if (nextExpected !== null) return true;
    if (!got.next()) {
      nextExpected = quoteBytes(want, start, end);
      return true;
    }
    const same = sameBytes(want, start, end, actual, got.start, got.end, caseless)
      || (rule.same?.(want.subarray(start, end), actual.subarray(got.start, got.end)) ?? false);
    if (!same) {
      mismatch = `token ${matched + 1}: expected ${quoteBytes(want, start, end)}, got ${quoteBytes(actual, got.start, got.end)}`;
      return false;
    }
    matched++;
    return true;
  });
  if (mismatch !== null) return { accepted: false, message: mismatch };
  if (nextExpected !== null) {
    return { accepted: false, message: `output ended after ${matched} tokens, expected ${expectedCount} (next expected ${nextExpected})` };
  }
  if (got.next()) {
    const firstExtra = quoteBytes(actual, got.start, got.end);
    let total = matched + 1;
    while (got.next()) total++;
    return { accepted: false, message: `output has ${total} tokens, expected ${matched} (first extra ${firstExtra})` };
  }
  return ACCEPTED;
}

export class TokensChecker implements Checker {
  check(expected: ByteStream, actual: Buffer): Promise<CheckResult> {
    return compareTokens(expected, actual);
  }
}
