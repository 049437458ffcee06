import { IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';

export class ApiConfig {
  @IsString() @IsNotEmpty()
  API_HOST: string = '127.0.0.1';

  @IsInt() @Min(0) @Max(65535)
  API_PORT: number = 3000;

  /**
   * API processes on this port (node:cluster), each a replica with its own result-stream consumer:
   * one per core to use them all. 1 runs the API in this process.
   */
  @IsInt() @Min(1) @Max(64)
  API_PROCESSES: number = 1;

  /** Largest accepted request body; inline tests make bodies large. */
  @IsInt() @Min(1024)
  API_BODY_LIMIT_BYTES: number = 32 * 1024 * 1024;

  /**
   * Live progress (server-sent events): a comment this often keeps proxies from closing an idle
   * stream, and the submission is read again then, in case a wake-up was missed.
   */
  @IsInt() @Min(100)
  SSE_HEARTBEAT_MS: number = 15000;

  /** POST /v1/submissions?wait=true answers with the result if it is ready within this, else 202 as usual. */
  @IsInt() @Min(0) @Max(120000)
  SUBMISSION_WAIT_MAX_MS: number = 10000;
}
