import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The worker's sandbox containers: how they are reached, started, pooled and bounded. Settings of
 * containers only; how judging uses them (compile limits, checkers, re-runs) is JudgingConfig.
 */
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
}
