import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { availableParallelism, hostname } from 'node:os';

export class WorkerConfig {
  /**
   * Stable identity of this worker: its sandbox containers carry it as a label, and on start it
   * removes containers left by an earlier run of itself. Two workers on one Docker host need
   * different ids.
   */
  @IsString() @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'WORKER_ID may hold only letters, digits, _ . -' })
  WORKER_ID: string = hostname();

  @IsInt() @Min(1) @Max(256)
  WORKER_CONCURRENCY: number = availableParallelism();

  /** How long SIGTERM waits for jobs in flight before handing them back to the queue. */
  @IsInt() @Min(0)
  SHUTDOWN_GRACE_MS: number = 30000;
}
