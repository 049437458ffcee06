import { createHash } from 'node:crypto';
import { IsInt, IsString, Matches, Min, ValidateBy, ValidateIf } from 'class-validator';

/** Small, ad-hoc data (a submission's inline tests) travels in the job itself. */
export interface InlineData {
  text: string;
}

/**
 * Problem data (tests, checker and interactor sources) is stored once in Redis under its SHA-256
 * and fetched by a worker on first use (cached on its disk), so a 50 MB input is never copied into
 * every job.
 */
export interface StoredData {
  sha256: string;
  bytes: number;
}

export type TestData = InlineData | StoredData;

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The name stored test data goes by: the SHA-256 of its bytes, in lowercase hex. */
export function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function isStoredData(data: TestData): data is StoredData {
  return (data as StoredData).sha256 !== undefined;
}

/** Size of the data in bytes (inline text is measured as UTF-8, which is what a program reads). */
export function testDataBytes(data: TestData): number {
  return isStoredData(data) ? data.bytes : Buffer.byteLength(data.text, 'utf8');
}

/** Validation of a TestData in a job payload: exactly one of `text` or `sha256` + `bytes`. */
export class TestDataDto {
  @ValidateIf((o: TestDataDto) => o.sha256 === undefined)
  @IsString({ message: 'text must be a string (or give sha256 and bytes instead)' })
  text?: string;

  @ValidateIf((o: TestDataDto) => o.text === undefined)
  @Matches(SHA256_PATTERN, { message: 'sha256 must be 64 lowercase hex digits' })
  @ValidateBy({
    name: 'notWithText',
    validator: { validate: (_value, args) => (args?.object as TestDataDto).text === undefined, defaultMessage: () => 'sha256 and text are exclusive' },
  })
  sha256?: string;

  @ValidateIf((o: TestDataDto) => o.sha256 !== undefined)
  @IsInt() @Min(0)
  bytes?: number;
}
