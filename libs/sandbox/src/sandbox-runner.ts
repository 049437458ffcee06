import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SandboxConfig, WorkerConfig } from '@verdict/config';
import Docker from 'dockerode';
import { Duplex, PassThrough } from 'node:stream';
import { FrameReader } from './frame-reader';
import { SandboxSession } from './sandbox-session';
import { SandboxUnavailableError } from './sandbox.errors';

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

/** uid:gid of the `judge` user the runtime images create; programs never run as root. */
const SANDBOX_USER = '10001:10001';

export interface SandboxSpec {
  image: string;
  /** Memory of the whole container (cgroup, swap included); the harness enforces each run's own limit. */
  memoryMb: number;
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
export class SandboxRunner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxRunner.name);
  private readonly live = new Set<string>();
  private readonly removals = new Set<Promise<void>>();
  /** Set by abortAll: from then on no sandbox is handed out, including one being created right now. */
  private aborted = false;

  constructor(
    @Inject(DOCKER) private readonly docker: Docker,
    private readonly config: SandboxConfig,
    private readonly worker: WorkerConfig,
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
    return mine.length;
  }

  /** How many containers this runner has created and not yet removed. */
  get liveCount(): number {
    return this.live.size;
  }

  async open(spec: SandboxSpec): Promise<SandboxSession> {
    this.refuseIfAborted();
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(this.containerOptions(spec));
    } catch (error) {
      throw new SandboxUnavailableError(`cannot create sandbox from image ${spec.image}: ${this.describeDockerError(error)}`);
    }
    this.live.add(container.id);
    try {
      this.refuseIfAborted();
      const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      this.docker.modem.demuxStream(stream, stdout, stderr);
      stream.on('end', () => {
        stdout.end();
        stderr.end();
      });
      stream.on('error', (error) => stdout.destroy(error));
      let diagnostics = '';
      stderr.on('data', (chunk: Buffer) => {
        if (diagnostics.length < 8192) diagnostics += chunk.toString('utf8');
      });
      await container.start();
      this.refuseIfAborted();
      return new SandboxSession(
        container.id,
        stream,
        new FrameReader(stdout),
        () => diagnostics,
        this.config.SANDBOX_HARNESS_GRACE_MS,
        async () => {
          stream.destroy();
          this.removeInBackground(container.id);
        },
      );
    } catch (error) {
      await this.remove(container.id);
      if (error instanceof SandboxUnavailableError) throw error;
      throw new SandboxUnavailableError(`cannot start sandbox from image ${spec.image}: ${this.describeDockerError(error)}`);
    }
  }

  private refuseIfAborted(): void {
    if (this.aborted) throw new SandboxUnavailableError('the sandbox runner is shutting down');
  }

  private containerOptions(spec: SandboxSpec): Docker.ContainerCreateOptions {
    const c = this.config;
    const memoryBytes = spec.memoryMb * 1024 * 1024;
    const fsizeBytes = c.SANDBOX_WORK_MB * 1024 * 1024;
    return {
      Image: spec.image,
      User: SANDBOX_USER,
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
        PidsLimit: c.SANDBOX_PIDS_LIMIT,
        NanoCpus: c.SANDBOX_CPUS * 1e9,
        ReadonlyRootfs: true,
        Tmpfs: {
          '/work': `rw,exec,nosuid,nodev,size=${c.SANDBOX_WORK_MB}m,mode=1777`,
          '/tmp': `rw,exec,nosuid,nodev,size=${c.SANDBOX_TMP_MB}m,mode=1777`,
        },
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Ulimits: [
          { Name: 'nofile', Soft: c.SANDBOX_NOFILE, Hard: c.SANDBOX_NOFILE },
          { Name: 'fsize', Soft: fsizeBytes, Hard: fsizeBytes },
        ],
        IpcMode: 'private',
        ...(c.SANDBOX_RUNTIME ? { Runtime: c.SANDBOX_RUNTIME } : {}),
      },
    };
  }

  private removeInBackground(id: string): void {
    const removal = this.remove(id).finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }

  private async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 404: already gone; 409: removal already in progress. Anything else is worth a log line.
      if (status !== 404 && status !== 409) this.logger.warn(`cannot remove sandbox ${id.slice(0, 12)}: ${this.describeDockerError(error)}`);
    } finally {
      this.live.delete(id);
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
