import { ByteStream, quote, textPrefix } from './bytes';
import { ACCEPTED, Checker, CheckResult } from './checker';

/** How much of each side a message shows from the first difference on, in characters. */
const SHOWN = 20;

function isUtf8Continuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** Output must equal the expected output byte for byte, whitespace and final newline included. */
export class ExactChecker implements Checker {
  async check(expected: ByteStream, actual: Buffer): Promise<CheckResult> {
    const chunks = expected[Symbol.asyncIterator]();
    try {
      let offset = 0;
      for (;;) {
        const next = await chunks.next();
        if (next.done) break;
        const chunk: Buffer = next.value;
        const n = Math.min(chunk.length, actual.length - offset);
        if (n === chunk.length && actual.compare(chunk, 0, n, offset, offset + n) === 0) {
          offset += n;
          continue;
        }
        let same = 0;
        while (same < n && chunk[same] === actual[offset + same]) same++;
        return difference(actual, offset + same, await atLeast(chunk.subarray(same), 4 * (SHOWN + 1), chunks));
      }
      return offset === actual.length ? ACCEPTED : difference(actual, offset, Buffer.alloc(0));
    } finally {
      await chunks.return?.();
    }
  }
}

/** `head` followed by more of the stream, until it has `bytes` bytes or the stream ends. */
async function atLeast(head: Buffer, bytes: number, rest: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts = [head];
  let total = head.length;
  while (total < bytes) {
    const next = await rest.next();
    if (next.done) break;
    parts.push(next.value);
    total += next.value.length;
  }
  return Buffer.concat(parts);
}

/**
 * The message for outputs that agree up to byte `at` of the output, `expectedFrom` being the
 * expected bytes from there on. A difference inside a multi-byte character is reported from that
 * character's first byte, so both quotes show whole characters; the bytes before are the same on
 * both sides, so the output supplies them.
 */
function difference(actual: Buffer, at: number, expectedFrom: Buffer): CheckResult {
  let start = at;
  if (isUtf8Continuation(expectedFrom[0]) || isUtf8Continuation(actual[at])) {
    while (start > 0 && at - start < 3 && isUtf8Continuation(actual[start - 1])) start--;
    if (start > 0) start--;
  }
  const expectedText = textPrefix(Buffer.concat([actual.subarray(start, at), expectedFrom]), SHOWN);
  let line = 1;
  for (let i = 0; i < start; i++) if (actual[i] === 0x0a) line++;
  return {
    accepted: false,
    message: `outputs differ at byte ${start} (line ${line}): expected ${quote(expectedText)}, got ${quote(textPrefix(actual.subarray(start), SHOWN))}`,
  };
}
