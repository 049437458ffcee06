import { IsIn, IsInt, IsString, Matches, Min } from 'class-validator';
import { hostname } from 'node:os';

export class ResultStreamConfig {
  /**
   * Approximate length the result stream is trimmed to. Entries not yet read by the API when they are
   * trimmed are lost, so this must cover the longest API outage you want to survive.
   */
  @IsInt() @Min(1000)
  RESULT_STREAM_MAXLEN: number = 200000;

  @IsString() @Matches(/^[A-Za-z0-9_.-]+$/)
  RESULT_STREAM_GROUP: string = 'api';

  /**
   * This consumer's name in the group. Stable across restarts, so on start it first re-reads what it
   * had received but not acknowledged before it stopped. Two API processes need different names.
   */
  @IsString() @Matches(/^[A-Za-z0-9_.-]+$/)
  RESULT_STREAM_CONSUMER: string = `api-${hostname()}`;

  /** An entry pending this long with another consumer (presumed dead) is claimed and applied here. */
  @IsInt() @Min(1000)
  RESULT_STREAM_CLAIM_IDLE_MS: number = 30000;

  @IsInt() @Min(100)
  RESULT_STREAM_CLAIM_INTERVAL_MS: number = 10000;

  @IsInt() @Min(10)
  RESULT_STREAM_BLOCK_MS: number = 2000;

  /**
   * false: this API replica applies no results (another one does); it still accepts submissions
   * and serves reads, live progress and waits, woken by the replica that applies.
   */
  @IsIn(['true', 'false'], { message: 'RESULT_STREAM_CONSUME must be true or false' })
  RESULT_STREAM_CONSUME: 'true' | 'false' = 'true';

  /**
   * Tests judged within this interval of the last progress entry are published together: live
   * progress stays this fresh, and 100 fast tests cost a few stream entries, not 100.
   */
  @IsInt() @Min(0)
  RESULT_PROGRESS_INTERVAL_MS: number = 100;
}
