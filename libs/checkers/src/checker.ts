import { CheckerSpec } from '@verdict/contracts';
import { ByteStream } from './bytes';

export interface CheckResult {
  accepted: boolean;
  /** For people: where the output first differs, or empty when accepted. */
  message: string;
}

/**
 * Compares a program's output with the expected output of a test, reading the expected output as a
 * stream and stopping at the first difference. No I/O of its own and no state between calls; it
 * resolves to WA with a message for anything the output holds, and rejects only when reading the
 * expected output fails.
 */
export interface Checker {
  check(expected: ByteStream, actual: Buffer, spec: CheckerSpec): Promise<CheckResult>;
}

export const ACCEPTED: CheckResult = { accepted: true, message: '' };
