/**
 * An expected answer as the judge streams it: chunks of bytes in order, each one the consumer may
 * keep (sources hand out fresh buffers, never a reused one). Stored answers come from a file on
 * the worker's disk, so a checker holds one chunk at a time instead of the whole answer.
 */
export type ByteStream = AsyncIterable<Buffer>;

/** The chunk size of streamed answers: a checker blocks the event loop for one chunk's work at most. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Streams bytes already in memory (inline answers, a fresh download). Between chunks it waits for
 * the event loop's next turn, as a file stream does, so comparing a large answer held in memory
 * does not stall the worker's other jobs and heartbeats either.
 */
export async function* chunksOf(content: Buffer, size = CHUNK_BYTES): AsyncGenerator<Buffer> {
  for (let at = 0; at < content.length; at += size) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    yield content.subarray(at, at + size);
  }
}

/** The whole stream, or null when it holds more than `limit` bytes (it is not read further). */
export async function readAtMost(stream: ByteStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** ASCII whitespace, the set /\s/ matches below 0x80: tab, line feed, vertical tab, form feed, carriage return, space. */
export function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Cuts long text in messages so a result stays readable and small. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/**
 * quote() of bytes read as UTF-8, decoding only what the message can show: a UTF-8 character is at
 * most 4 bytes, so 4 * (max + 1) bytes hold more than `max` characters whenever there are more.
 */
export function quoteBytes(bytes: Buffer, start = 0, end = bytes.length, max = 40): string {
  return quote(bytes.toString('utf8', start, Math.min(end, start + 4 * (max + 1))), max);
}

/** The first `length` UTF-16 units of bytes read as UTF-8, decoding no more than they need. */
export function textPrefix(bytes: Buffer, length: number): string {
  return bytes.toString('utf8', 0, Math.min(bytes.length, 4 * (length + 1))).slice(0, length);
}
