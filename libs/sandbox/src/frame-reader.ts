import { Readable } from 'node:stream';

export class FrameReaderClosedError extends Error {}
export class FrameReaderTimeoutError extends Error {}

/**
 * Reads the harness's framed replies (a header line, then an exact number of bytes) from a stream.
 * Buffers chunks without copying until a frame is complete, so large outputs cost one copy.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.notify();
    });
    stream.on('end', () => {
      this.ended = true;
      this.notify();
    });
    stream.on('close', () => {
      this.ended = true;
      this.notify();
    });
    stream.on('error', (error) => {
      this.failure = error;
      this.notify();
    });
  }

  /** Reads up to and without the next '\n'; fails if the line is longer than maxBytes. */
  async readLine(maxBytes: number, deadline: number): Promise<string> {
    for (;;) {
      const at = this.indexOfNewline(maxBytes + 1);
      if (at >= 0) {
        const line = this.take(at + 1);
        return line.subarray(0, at).toString('utf8');
      }
      if (this.buffered > maxBytes) throw new FrameReaderClosedError(`line longer than ${maxBytes} bytes`);
      await this.waitForData(deadline);
    }
  }

  async readBytes(length: number, deadline: number): Promise<Buffer> {
    while (this.buffered < length) await this.waitForData(deadline);
    return this.take(length);
  }

  private indexOfNewline(limit: number): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(10);
      if (at >= 0) return offset + at;
      offset += chunk.length;
      if (offset >= limit) return -1;
    }
    return -1;
  }

  private take(length: number): Buffer {
    if (length === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= length) {
      out = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
    } else {
      out = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const chunk = this.chunks[0];
        const n = Math.min(chunk.length, length - filled);
        chunk.copy(out, filled, 0, n);
        filled += n;
        if (n === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(n);
      }
    }
    this.buffered -= length;
    return out;
  }

  private waitForData(deadline: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.reject(new FrameReaderClosedError('stream ended'));
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.reject(new FrameReaderTimeoutError('timed out waiting for the harness'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = null;
        reject(new FrameReaderTimeoutError('timed out waiting for the harness'));
      }, remaining);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private notify(): void {
    this.wake?.();
  }
}
