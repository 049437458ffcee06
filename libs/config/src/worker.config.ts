import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

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

export class SandboxConfig {
  @IsString() @IsNotEmpty()
  DOCKER_SOCKET: string = '/var/run/docker.sock';

  /**
   * How the worker talks to a sandbox's harness: over a unix socket bind-mounted into the sandbox
   * (socket), or the container's attached stdio through dockerd (attach), which costs about half a
   * millisecond more per exchange. gVisor sandboxes always use attach (runsc does not pass host
   * sockets through by default).
   */
  @IsIn(['socket', 'attach'], { message: 'SANDBOX_TRANSPORT must be socket or attach' })
  SANDBOX_TRANSPORT: 'socket' | 'attach' = 'socket';

  /** Where the harness sockets live on this host (one directory per sandbox); must be on the Docker host. */
  @IsString() @IsNotEmpty()
  SANDBOX_SOCKET_DIR: string = join(tmpdir(), 'verdict-sockets');

  /** OCI runtime for sandbox containers (runc, or runsc for gVisor); empty = Docker's default. */
  @IsOptional() @IsString()
  SANDBOX_RUNTIME: string = '';

  /**
   * Started sandboxes kept waiting per language, so a submission does not wait for a container to
   * start (each is still used by one submission only). 0 starts every container on demand.
   */
  @IsInt() @Min(0) @Max(32)
  SANDBOX_POOL_SIZE: number = 2;

  /**
   * fresh: every submission gets a container nobody used before (removed afterwards). reuse: a
   * container serves up to SANDBOX_REUSE_MAX submissions of its language, reset by its harness in
   * between (every process killed, scratch dirs and IPC wiped, all verified, a fresh uid).
   */
  @IsIn(['fresh', 'reuse'], { message: 'SANDBOX_MODE must be fresh or reuse' })
  SANDBOX_MODE: 'fresh' | 'reuse' = 'fresh';

  @IsInt() @Min(1) @Max(100000)
  SANDBOX_REUSE_MAX: number = 200;

  /**
   * Expected image IDs of the runtime images (JSON: image reference -> image ID), written by
   * deploy/images/build.sh. The worker refuses to start when an image is missing or differs.
   */
  @IsString() @IsNotEmpty()
  SANDBOX_IMAGE_LOCK_FILE: string = 'deploy/images/images.lock.json';

  /**
   * Cores to pin runs to (e.g. "0-3" or "1,3"), handed out least used first, one per sandbox in
   * use; empty: no pinning. Pinning keeps a run on one core, which makes its time steadier.
   */
  @IsOptional() @Matches(/^(\d+(-\d+)?)(,\d+(-\d+)?)*$|^$/, { message: 'SANDBOX_CPU_CORES must be a list of cores like "0-3" or "1,3"' })
  SANDBOX_CPU_CORES: string = '';

  /** CPUs one sandbox container may use (its harness and the program under test). */
  @IsInt() @Min(1) @Max(64)
  SANDBOX_CPUS: number = 1;

  @IsInt() @Min(8) @Max(4096)
  SANDBOX_PIDS_LIMIT: number = 128;

  /** Size of the /work tmpfs (source, binaries, current input); it counts against the memory cgroup. */
  @IsInt() @Min(8)
  SANDBOX_WORK_MB: number = 128;

  @IsInt() @Min(8)
  SANDBOX_TMP_MB: number = 64;

  /**
   * Size of the harness's private area (/in): the current test's input (so the largest input that
   * can be judged) and an interactor's files. Programs cannot write there, so filling /work never
   * keeps the next input out.
   */
  @IsInt() @Min(1)
  SANDBOX_INPUT_MB: number = 64;

  /** Memory above the largest limit for the harness and tmpfs pages, so the cgroup is only a backstop. */
  @IsInt() @Min(16)
  SANDBOX_HEADROOM_MB: number = 64;

  @IsInt() @Min(16)
  SANDBOX_NOFILE: number = 256;

  /** Largest file a program may write (RLIMIT_FSIZE). */
  @IsInt() @Min(1)
  SANDBOX_FSIZE_MB: number = 64;

  /** Extra time the worker gives the harness beyond a run's wall limit before declaring it hung. */
  @IsInt() @Min(1000)
  SANDBOX_HARNESS_GRACE_MS: number = 10000;

  /** Stack limit of a run; 0 means "as large as the memory limit", so deep recursion that fits is fine. */
  @IsInt() @Min(0)
  SANDBOX_STACK_MB: number = 0;

  /**
   * A run that ends with its CPU time over the limit by at most this many percent is run once more
   * before TLE is final: timing noise must not decide verdicts. 0 turns re-runs off.
   */
  @IsInt() @Min(0) @Max(100)
  TIME_LIMIT_RERUN_MARGIN_PCT: number = 10;

  /** Limits of one run of a problem's checker program (testlib or Kattis), per test. */
  @IsInt() @Min(100) CHECKER_CPU_TIME_MS: number = 10000;
  @IsInt() @Min(100) CHECKER_WALL_TIME_MS: number = 20000;
  @IsInt() @Min(16) CHECKER_MEMORY_MB: number = 512;
  /** A checker's sandbox holds one test's input, answer and the contestant's output at a time. */
  @IsInt() @Min(8) CHECKER_DATA_MB: number = 256;
  /** Built checkers and interactors kept per worker (each compiled once, then reused). */
  @IsInt() @Min(1) @Max(1024) PROBLEM_PROGRAM_CACHE_SIZE: number = 64;
  /** A checker's or interactor's build: trusted code, built once per worker, not bound by COMPILE_*. */
  @IsInt() @Min(100) PROBLEM_PROGRAM_COMPILE_CPU_TIME_MS: number = 60000;
  @IsInt() @Min(100) PROBLEM_PROGRAM_COMPILE_WALL_TIME_MS: number = 120000;

  /** Limits of a problem's interactor, per test; its wall limit is the submission's plus this grace. */
  @IsInt() @Min(100) INTERACTOR_CPU_TIME_MS: number = 10000;
  @IsInt() @Min(16) INTERACTOR_MEMORY_MB: number = 256;
  @IsInt() @Min(0) INTERACTOR_WALL_GRACE_MS: number = 2000;

  /**
   * The watchdog's allowance beyond a submission's own limits (its compilation, each test's run,
   * the checker's): once per submission, and per test for the exchanges and the test data. Past
   * the sum the submission is stopped, its sandbox destroyed, and its job retried or failed.
   */
  @IsInt() @Min(100) JUDGE_WATCHDOG_MARGIN_MS: number = 30000;
  @IsInt() @Min(0) JUDGE_WATCHDOG_PER_TEST_MS: number = 2000;

  @IsInt() @Min(100) COMPILE_CPU_TIME_MS: number = 15000;
  @IsInt() @Min(100) COMPILE_WALL_TIME_MS: number = 30000;
  @IsInt() @Min(64) COMPILE_MEMORY_MB: number = 1024;
  @IsInt() @Min(1) COMPILE_OUTPUT_KB: number = 64;
}
