import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SandboxConfig, WorkerConfig } from '@verdict/config';
import { SandboxMetrics } from '@verdict/metrics';
import Docker from 'dockerode';
import { rm, rmdir } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Duplex, PassThrough } from 'node:stream';
import { FrameReader } from './frame-reader';
import { PRIVATE_AREA } from './harness-protocol';
import { HARNESS_SOCKET_MOUNT, HarnessSocket } from './harness-socket';
import { SandboxEnding, SandboxSession } from './sandbox-session';
import { SandboxUnavailableError } from './sandbox.errors';
import seccompProfile from './seccomp-profile.json';

export const DOCKER = Symbol('DOCKER');

/** Labels every sandbox container carries, so leftovers can be found and removed. */
export const SANDBOX_LABEL = 'org.verdict.sandbox';
export const OWNER_LABEL = 'org.verdict.owner';

/**
 * Environment every program in a sandbox starts from (the harness passes on nothing else); a
 * language's own variables are added on top. Tools find their helpers through PATH (g++ finds ld).
 */
export const SANDBOX_BASE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
};

/**
 * verdict-harness starts as root holding only these capabilities, drops to a uid of its own and
 * runs every program as the images' `judge` user (10001) with none (harness/PROTOCOL.md,
 * "Identities"), so programs cannot signal it or open its file descriptors. Linux shields a PID 1
 * and a non-dumpable process from those; gVisor does not: a program's kill(1, SIGKILL) ended the
 * sandbox, and a program could write a forged result to the harness's stdout via /proc/1/fd/1.
 */
const HARNESS_USER = '0:0';
const HARNESS_CAPABILITIES = ['SETUID', 'SETGID', 'KILL'];

/**
 * A bound on files per tmpfs: an empty file costs no tmpfs space but about 1 KiB of kernel memory,
 * charged to the container, and a program creating files for a few runs filled the memory cgroup
 * until the kernel killed the harness. Go's build cache needs a few hundred.
 */
const TMPFS_INODES = 16384;

/**
 * gVisor (runsc) on its default ptrace platform backs each sandboxed process with host tasks: a
 * stub process plus a traced thread per sentry thread that ran it. N spinning processes took about
 * N × (N + 20) host tasks (32 → 1650, 128 → 18400), and a pids cgroup that refuses one makes the
 * sentry panic, killing the sandbox. So under runsc the program's tasks (threads included) are
 * bounded by RLIMIT_NPROC, which gVisor counts per sandbox (the kernel under runc counts the uid on
 * the whole host, so runc keeps the pids cgroup), and the pids cgroup, N × (N + 32), only guards
 * the host.
 */
const RUNSC_MAX_TASKS = 32;

/** How long a broken sandbox's container is given to be recorded as stopped before it is inspected. */
const ENDING_WAIT_MS = 3000;
/**
 * Bounds of the sandbox's IPC namespace: System V shared memory no larger in all than the sandbox,
 * and removed as soon as no process has it attached (so none outlives a run to be charged to no
 * one); few segments, semaphore sets and message queues, each small.
 */
function ipcSysctls(memoryBytes: number): Record<string, string> {
  return {
    'kernel.shm_rmid_forced': '1',
    'kernel.shmmax': String(memoryBytes),
    'kernel.shmall': String(Math.ceil(memoryBytes / 4096)),
    'kernel.shmmni': '64',
    'kernel.msgmnb': '65536',
    'kernel.msgmni': '32',
    'kernel.sem': '32 1024 32 32',
    'fs.mqueue.queues_max': '32',
  };
}

const REMOVE_ATTEMPTS = 4;
const REMOVE_RETRY_MS = 250;

/** Docker takes a seccomp profile as its JSON text. */
const SECCOMP_PROFILE = JSON.stringify(seccompProfile);

export interface SandboxSpec {
  image: string;
  /** OCI runtime (runc, runsc for gVisor); empty means SANDBOX_RUNTIME, and that empty Docker's default. */
  runtime?: string;
  /** Memory of the whole container (cgroup, swap included); the harness enforces each run's own limit. */
  memoryMb: number;
  /** Size of the private area (/in); absent: SANDBOX_INPUT_MB. A checker's sandbox holds a test's input, answer and output there. */
  privateAreaMb?: number;
  /** Extra labels, e.g. the submission being judged, for whoever inspects running containers. */
  labels?: Record<string, string>;
}

/**
 * Provides sandboxes: fresh, single-use, locked-down containers whose entrypoint is verdict-harness.
 * Knows nothing of submissions, tests or verdicts. Every container it creates is removed on every
 * path (closed session, failed start, shutdown), and containers left by an earlier crash of the same
 * owner are reaped at start.
 */
@Injectable()
export class SandboxLauncher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxLauncher.name);
  private readonly live = new Set<string>();
  private readonly removals = new Set<Promise<void>>();
  /** The harness socket of each live container that has one. */
  private readonly socketDirs = new Map<string, HarnessSocket>();
  /** Set by abortAll: from then on no sandbox is handed out, including one being created right now. */
  private aborted = false;

  constructor(
    @Inject(DOCKER) private readonly docker: Docker,
    private readonly config: SandboxConfig,
    private readonly worker: WorkerConfig,
    private readonly metrics: SandboxMetrics,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      const reaped = await this.reapOrphans();
      this.logger.log(`reaped ${reaped} leftover sandbox container(s) of owner ${this.worker.WORKER_ID}`);
    } catch (error) {
      // Not fatal: jobs will fail over to retries until Docker is back, and say why.
      this.logger.error(`cannot reap leftover sandbox containers: ${this.describeDockerError(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.abortAll();
    await Promise.allSettled([...this.removals]);
    // This worker's socket directory, once its sandboxes' are gone (rmdir: only if empty).
    await rmdir(join(this.config.SANDBOX_SOCKET_DIR, this.worker.WORKER_ID)).catch(() => undefined);
  }

  /**
   * Removes every live sandbox now; sessions using them fail with SandboxBrokenError, and every later
   * open() (or one still creating its container) fails with SandboxUnavailableError.
   */
  async abortAll(): Promise<void> {
    this.aborted = true;
    await Promise.allSettled([...this.live].map((id) => this.remove(id)));
  }

  /** Removes every container of this owner, running or not; returns how many there were. */
  async reapOrphans(): Promise<number> {
    const leftovers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${SANDBOX_LABEL}=1`, `${OWNER_LABEL}=${this.worker.WORKER_ID}`] },
    });
    const mine = leftovers.filter((c) => !this.live.has(c.Id));
    await Promise.all(mine.map((c) => this.remove(c.Id)));
    // Their harness sockets' directories: from the mounts the containers had.
    const dirs = mine.flatMap((c) => c.Mounts.filter((m) => m.Destination === HARNESS_SOCKET_MOUNT).map((m) => m.Source));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }).catch(() => undefined)));
    return mine.length;
  }

  async open(spec: SandboxSpec): Promise<SandboxSession> {
    this.refuseIfAborted();
    const socket = this.transportOf(spec) === 'socket' ? await HarnessSocket.listen(join(this.config.SANDBOX_SOCKET_DIR, this.worker.WORKER_ID)) : null;
    let container: Docker.Container;
    const creating = performance.now();
    try {
      container = await this.docker.createContainer(this.containerOptions(spec, socket));
    } catch (error) {
      await socket?.close();
      this.metrics.failed('create');
      throw new SandboxUnavailableError(`cannot create sandbox from image ${spec.image}: ${this.describeDockerError(error)}`);
    }
    const starting = performance.now();
    this.metrics.took('create', (starting - creating) / 1000);
    this.live.add(container.id);
    if (socket) this.socketDirs.set(container.id, socket);
    let stream: Duplex | undefined;
    try {
      this.refuseIfAborted();
      stream = (await container.attach({ stream: true, stdin: !socket, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      this.docker.modem.demuxStream(stream, stdout, stderr);
      stream.on('end', () => {
        stdout.end();
        stderr.end();
      });
      stream.on('error', (error) => stdout.destroy(error));
      let diagnostics = '';
      const collect = (chunk: Buffer) => {
        if (diagnostics.length < 8192) diagnostics += chunk.toString('utf8');
      };
      stderr.on('data', collect);
      if (socket) stdout.on('data', collect); // a harness that cannot connect says why there
      await container.start();
      this.refuseIfAborted();
      const channel: Duplex = socket ? await this.harnessConnection(socket, () => diagnostics) : stream;
      const session = new SandboxSession(
        container.id,
        channel,
        new FrameReader(socket ? channel : stdout),
        () => diagnostics,
        this.config.SANDBOX_HARNESS_GRACE_MS,
        async () => {
          channel.destroy();
          stream?.destroy();
          this.removeInBackground(container.id);
        },
        () => this.endingOf(container),
        // A shutdown's abortAll breaks every session: that is not a sandbox failing.
        (phase) => {
          if (!this.aborted) this.metrics.failed(phase);
        },
      );
      for (const ended of [channel, stream]) {
        ended.once('end', () => session.markDisconnected());
        ended.once('close', () => session.markDisconnected());
      }
      this.metrics.took('start', (performance.now() - starting) / 1000);
      return session;
    } catch (error) {
      if (!this.aborted) this.metrics.failed('start');
      await this.remove(container.id);
      // dockerd never ends an attach to a container removed before it started (a shutdown's
      // abortAll between attach and start): left open, it kept the process alive.
      stream?.destroy();
      if (error instanceof SandboxUnavailableError) throw error;
      throw new SandboxUnavailableError(`cannot start sandbox from image ${spec.image}: ${this.describeDockerError(error)}`);
    }
  }

  /** How this sandbox's harness is reached (SANDBOX_TRANSPORT; gVisor cannot pass a host socket in). */
  transportOf(spec: SandboxSpec): 'socket' | 'attach' {
    return this.runtimeOf(spec) === 'runsc' ? 'attach' : this.config.SANDBOX_TRANSPORT;
  }

  private async harnessConnection(socket: HarnessSocket, diagnostics: () => string): Promise<Socket> {
    try {
      return await socket.connection(this.config.SANDBOX_HARNESS_GRACE_MS);
    } catch (error) {
      const said = diagnostics().trim();
      throw new SandboxUnavailableError(`${(error as Error).message}${said ? ` (harness said: ${said.slice(-500)})` : ''}`);
    }
  }

  private refuseIfAborted(): void {
    if (this.aborted) throw new SandboxUnavailableError('the sandbox runner is shutting down');
  }

  private containerOptions(spec: SandboxSpec, socket: HarnessSocket | null): Docker.ContainerCreateOptions {
    const c = this.config;
    const memoryBytes = spec.memoryMb * 1024 * 1024;
    const fsizeBytes = c.SANDBOX_WORK_MB * 1024 * 1024;
    const gvisorTasks = this.runtimeOf(spec) === 'runsc' ? Math.min(c.SANDBOX_PIDS_LIMIT, RUNSC_MAX_TASKS) : null;
    return {
      Image: spec.image,
      ...(socket ? { Cmd: ['--connect', socket.pathInSandbox] } : {}),
      User: HARNESS_USER,
      WorkingDir: '/work',
      Labels: { ...spec.labels, [SANDBOX_LABEL]: '1', [OWNER_LABEL]: this.worker.WORKER_ID },
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: true,
      Tty: false,
      NetworkDisabled: true,
      Env: [],
      HostConfig: {
        NetworkMode: 'none',
        Memory: memoryBytes,
        MemorySwap: memoryBytes,
        PidsLimit: gvisorTasks ? gvisorTasks * (gvisorTasks + 32) : c.SANDBOX_PIDS_LIMIT,
        NanoCpus: c.SANDBOX_CPUS * 1e9,
        ReadonlyRootfs: true,
        Tmpfs: {
          '/work': `rw,exec,nosuid,nodev,size=${c.SANDBOX_WORK_MB}m,nr_inodes=${TMPFS_INODES},mode=1777`,
          '/tmp': `rw,exec,nosuid,nodev,size=${c.SANDBOX_TMP_MB}m,nr_inodes=${TMPFS_INODES},mode=1777`,
          // Instead of Docker's 64 MiB without an inode bound; POSIX semaphores (Python's multiprocessing) live here.
          '/dev/shm': 'rw,noexec,nosuid,nodev,size=16m,nr_inodes=1024,mode=1777',
          // The harness's private area (harness/PROTOCOL.md, "Paths"): its uid, the peer's group, setgid.
          [PRIVATE_AREA]: `rw,exec,nosuid,nodev,size=${spec.privateAreaMb ?? c.SANDBOX_INPUT_MB}m,nr_inodes=1024,uid=10000,gid=10002,mode=2771`,
        },
        CapDrop: ['ALL'],
        CapAdd: HARNESS_CAPABILITIES,
        // gVisor filters inside its Sentry; runsc (2022) can load an OCI profile but ignores its errnoRet,
        // so clone3 would fail with EPERM instead of ENOSYS and glibc could not start a thread.
        SecurityOpt: ['no-new-privileges', ...(this.runtimeOf(spec) === 'runsc' ? [] : [`seccomp=${SECCOMP_PROFILE}`])],
        // Nothing a program writes through the container's stdio (the gVisor transport) reaches a log file.
        LogConfig: { Type: 'none', Config: {} },
        Ulimits: [
          { Name: 'nofile', Soft: c.SANDBOX_NOFILE, Hard: c.SANDBOX_NOFILE },
          { Name: 'fsize', Soft: fsizeBytes, Hard: fsizeBytes },
          ...(gvisorTasks ? [{ Name: 'nproc', Soft: gvisorTasks, Hard: gvisorTasks }] : []),
        ],
        IpcMode: 'private',
        // The sandbox's own IPC namespace, bounded (runc; gVisor ignores these, see docs/security.md).
        ...(this.runtimeOf(spec) === 'runsc' ? {} : { Sysctls: ipcSysctls(memoryBytes) }),
        ...(socket ? { Binds: [`${socket.directory}:${HARNESS_SOCKET_MOUNT}:ro`] } : {}),
        ...(this.runtimeOf(spec) ? { Runtime: this.runtimeOf(spec) } : {}),
      },
    };
  }

  /**
   * How a container whose harness stopped answering ended. The harness's connection closes as it
   * dies, a moment before Docker records the container as stopped: wait for that, briefly.
   */
  private async endingOf(container: Docker.Container): Promise<SandboxEnding> {
    let timer: NodeJS.Timeout | undefined;
    const stopped = container.wait({ condition: 'not-running' }).catch(() => undefined);
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, ENDING_WAIT_MS)))]);
    clearTimeout(timer);
    try {
      const { State } = await container.inspect();
      if (State.Running) return { kind: 'running' };
      return { kind: 'exited', exitCode: State.ExitCode, oomKilled: State.OOMKilled };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return { kind: 'gone' };
      throw error;
    }
  }

  /** Changes a live sandbox's memory cgroup limit (memory and memory+swap alike). */
  async setMemory(containerId: string, memoryMb: number): Promise<void> {
    const bytes = memoryMb * 1024 * 1024;
    await this.docker.getContainer(containerId).update({ Memory: bytes, MemorySwap: bytes });
  }

  runtimeOf(spec: SandboxSpec): string {
    return spec.runtime || this.config.SANDBOX_RUNTIME;
  }

  private removeInBackground(id: string): void {
    const removal = this.remove(id).finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }

  private async remove(id: string): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.docker.getContainer(id).remove({ force: true, v: true });
          break;
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          // 404: already gone; 409: removal already in progress.
          if (status === 404 || status === 409) break;
          // dockerd 20.10 fails a forced removal that races the container's own exit ("Could not
          // kill running container ... is not running") and leaves it "Removal In Progress"; asked
          // again a moment later, it removes it.
          if (attempt >= REMOVE_ATTEMPTS) {
            this.metrics.failed('remove');
            this.logger.warn(`cannot remove sandbox ${id.slice(0, 12)}: ${this.describeDockerError(error)}`);
            break;
          }
          await sleep(REMOVE_RETRY_MS * attempt);
        }
      }
    } finally {
      this.live.delete(id);
      const socket = this.socketDirs.get(id);
      this.socketDirs.delete(id);
      await socket?.close().catch(() => undefined);
    }
  }

  private describeDockerError(error: unknown): string {
    const e = error as { statusCode?: number; code?: string; message?: string; json?: { message?: string } };
    if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES') {
      return `Docker Engine unreachable at ${this.config.DOCKER_SOCKET} (${e.code}); is dockerd running?`;
    }
    const message = e.json?.message ?? e.message ?? String(error);
    if (e.statusCode === 404 && /no such image/i.test(message)) {
      return `${message}; build the runtime images with: bash deploy/images/build.sh`;
    }
    return message;
  }
}
