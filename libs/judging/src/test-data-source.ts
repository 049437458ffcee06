import { ByteStream } from '@verdict/checkers';
import { TestData } from '@verdict/contracts';

/**
 * Where the judge gets the bytes of a test's input and answer (and of problem programs). Inline data
 * is in the job; stored data lives in Redis by hash and is cached on the worker's disk.
 */
export abstract class TestDataSource {
  abstract read(data: TestData): Promise<Buffer>;
  /**
   * The same bytes as a stream, for the built-in checkers: a cached file is read a chunk at a time
   * instead of whole. Lazy: nothing is opened until the first chunk is asked for, and a consumer
   * that stops early closes what was opened. A failure to get the data rejects while iterating.
   */
  abstract stream(data: TestData): ByteStream;
}

/** The stored data is not available: missing from the store, or corrupt. Retrying will not help. */
export class TestDataUnavailableError extends Error {}
