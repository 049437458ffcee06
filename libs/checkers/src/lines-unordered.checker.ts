import { ByteStream, isSpace, quoteBytes } from './bytes';
import { ACCEPTED, Checker, CheckResult } from './checker';

/** How much of the output is walked between two turns of the event loop. */
const OUTPUT_SLICE_BYTES = 1024 * 1024;

const INITIAL_LINES = 1024;

/** 32-bit FNV-1a of bytes[start, end), unsigned (as the table stores it). */
function hashOf(bytes: Buffer, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

function grown(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const larger = new Uint32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** The fields of a distinct line in `ExpectedLines.lines`, side by side so that one cache line holds them. */
const PART = 0;
const START = 1;
const LENGTH = 2;
const LEFT = 3;
const FIELDS = 4;

/**
 * The expected lines as a multiset, kept compact: the answer's own chunks are held (its bytes once,
 * and only chunks with a line not seen before), and each distinct line is a position in them and a
 * count, in typed arrays under an open-addressing table. That is the answer's size plus 24 to 64
 * bytes per distinct line, where a Map of line strings took six times the answer and seconds of GC.
 * Lines with the same hash are compared byte for byte: a collision costs a comparison, never a
 * wrong verdict. With millions of lines, time goes to cache misses, hence the interleaved arrays.
 */
class ExpectedLines {
  /** What the lines point into: chunks of the answer, and lines that a chunk boundary cut (joined). */
  private readonly parts: Buffer[] = [];
  /** FIELDS numbers per distinct line, by id. */
  private lines = new Uint32Array(FIELDS * INITIAL_LINES);
  /** Linear probing, never more than half full: pairs of (1 + the id of a distinct line, or 0 for none; its hash). */
  private slots = new Uint32Array(2 * 2 * INITIAL_LINES);
  private distinct = 0;
  /** Expected lines, repeats included. */
  count = 0;
  private longest = 0;

  /** Adds the line bytes[start, end), trimmed; `bytes` may be kept (it must not change afterwards). */
  add(bytes: Buffer, start: number, end: number): void {
    while (start < end && isSpace(bytes[start])) start++;
    while (end > start && isSpace(bytes[end - 1])) end--;
    if (start === end) return;
    this.count++;
    this.longest = Math.max(this.longest, end - start);
    const hash = hashOf(bytes, start, end);
    const slot = this.slotOf(bytes, start, end, hash);
    if (this.slots[slot] !== 0) {
      this.lines[FIELDS * (this.slots[slot] - 1) + LEFT]++;
      return;
    }
    if (this.parts[this.parts.length - 1] !== bytes) this.parts.push(bytes);
    const id = this.distinct++;
    if (FIELDS * id === this.lines.length) this.lines = grown(this.lines);
    const at = FIELDS * id;
    this.lines[at + PART] = this.parts.length - 1;
    this.lines[at + START] = start;
    this.lines[at + LENGTH] = end - start;
    this.lines[at + LEFT] = 1;
    this.slots[slot] = id + 1;
    this.slots[slot + 1] = hash;
    if (2 * 2 * this.distinct > this.slots.length) this.rehash();
  }

  /** Takes one occurrence of the (trimmed) line bytes[start, end) off the count; false when none is left. */
  take(bytes: Buffer, start: number, end: number): boolean {
    if (end - start > this.longest) return false;
    const found = this.slots[this.slotOf(bytes, start, end, hashOf(bytes, start, end))];
    if (found === 0) return false;
    const left = FIELDS * (found - 1) + LEFT;
    if (this.lines[left] === 0) return false;
    this.lines[left]--;
    return true;
  }

  /** The first expected line, in the answer's order, with an occurrence not taken; null when none is. */
  firstLeft(): Buffer | null {
    for (let at = 0; at < FIELDS * this.distinct; at += FIELDS) {
      if (this.lines[at + LEFT] > 0) return this.parts[this.lines[at + PART]].subarray(this.lines[at + START], this.lines[at + START] + this.lines[at + LENGTH]);
    }
    return null;
  }

  /** The slot (its index in `slots`) holding this line, or the empty one where it belongs. */
  private slotOf(bytes: Buffer, start: number, end: number, hash: number): number {
    const mask = this.slots.length / 2 - 1;
    const n = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const found = this.slots[2 * i];
      if (found === 0) return 2 * i;
      if (this.slots[2 * i + 1] !== hash) continue;
      const at = FIELDS * (found - 1);
      const from = this.lines[at + START];
      if (this.lines[at + LENGTH] === n && this.parts[this.lines[at + PART]].compare(bytes, start, end, from, from + n) === 0) return 2 * i;
    }
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    const mask = this.slots.length / 2 - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      let i = old[j + 1] & mask;
      while (this.slots[2 * i] !== 0) i = (i + 1) & mask;
      this.slots[2 * i] = old[j];
      this.slots[2 * i + 1] = old[j + 1];
    }
  }
}

/**
 * The same lines in any order (as a multiset): for problems whose answer is a set of lines, such as
 * "print every pair". Surrounding whitespace (ASCII) and blank lines do not matter.
 *
 * An order-free comparison cannot stream, so the expected lines are counted first (memory in
 * proportion to the expected answer, the problem's data), then the output's lines are walked in
 * order, each taken off the count, stopping at the first one not expected: the output costs no
 * memory of its own. Lines are compared as bytes and decoded as UTF-8 only for messages.
 */
export class LinesUnorderedChecker implements Checker {
  async check(expected: ByteStream, actual: Buffer): Promise<CheckResult> {
    const lines = new ExpectedLines();
    /** Pieces of a line that chunk boundaries cut. */
    let cut: Buffer[] = [];
    for await (const chunk of expected) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
        if (cut.length === 0) lines.add(chunk, start, end);
        else {
          const line = Buffer.concat([...cut, chunk.subarray(start, end)]);
          cut = [];
          lines.add(line, 0, line.length);
        }
        start = end + 1;
      }
      if (start < chunk.length) cut.push(chunk.subarray(start));
    }
    const last = Buffer.concat(cut);
    lines.add(last, 0, last.length);

    let got = 0;
    let pause = OUTPUT_SLICE_BYTES;
    for (let next = 0; next < actual.length;) {
      if (next >= pause) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        pause = next + OUTPUT_SLICE_BYTES;
      }
      let end = actual.indexOf(0x0a, next);
      if (end === -1) end = actual.length;
      let start = next;
      next = end + 1;
      while (start < end && isSpace(actual[start])) start++;
      while (end > start && isSpace(actual[end - 1])) end--;
      if (start === end) continue;
      if (!lines.take(actual, start, end)) return { accepted: false, message: `unexpected line ${quoteBytes(actual, start, end)}` };
      got++;
    }
    const missing = lines.firstLeft();
    if (missing !== null) return { accepted: false, message: `missing line ${quoteBytes(missing)} (got ${got} lines, expected ${lines.count})` };
    return ACCEPTED;
  }
}
