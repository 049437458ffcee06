import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import { SandboxMetrics, SandboxPoolState } from '@verdict/metrics';
import { CpuCoreLeases } from './cpu-core-leases';
import { SandboxLauncher, SandboxSpec } from './sandbox-launcher';
import { SandboxSession } from './sandbox-session';
import { SandboxResetUnsupportedError } from './sandbox.errors';

/**
 * What makes a started container fit a request: image, runtime and mounts. Its memory limit is not
 * part of it: a container's cgroup can be resized in place (~12 ms), far cheaper than starting another.
 */
function poolKey(spec: SandboxSpec, runtime: string): string {
  return `${spec.image}|${runtime}|${spec.privateAreaMb ?? ''}`;
}

interface Shelf {
  spec: SandboxSpec;
  idle: SandboxSession[];
  /** Containers being started for this shelf right now. */
  starting: number;
  /** Used sandboxes being reset for another submission (reuse mode). */
  resetting: Set<Promise<void>>;
  /** Why this shelf's containers cannot be reused (their runtime cannot prove a reset), once known. */
  singleUse?: string;
  /** Why the last pre-start failed, until one succeeds: with nothing idle, starting or resetting, the shelf is cold. */
  startFailure?: string;
}

/** Whether the pool can hand out a started sandbox without starting one: what a worker's readiness asks. */
export interface PoolWarmth {
  warm: boolean;
  /** Why not, for people (the images whose sandboxes cannot be started, and why). */
  reason?: string;
}

/** What the pool knows of a session it handed out. */
interface Lease {
  shelf: Shelf | undefined;
  /** Its memory cgroup's limit now. */
  memoryMb: number;
  /** Its OCI runtime ('' for Docker's default). */
  runtime: string;
  /** Submissions this container has served, this one included. */
  served: number;
}

/**
 * Takes container start-up off the critical path: keeps SANDBOX_POOL_SIZE started sandboxes per
 * warmed spec, their harness waiting for its first command. A submission acquires one (or, on a miss,
 * a freshly started one) and releases it when done.
 *
 * - `fresh` (the default): a released sandbox is removed and the pool starts a replacement in the
 *   background (after the submission, so the two do not compete for CPU); every submission gets a
 *   container nobody used before.
 * - `reuse` (SANDBOX_MODE=reuse): a released sandbox is reset by its harness (every process killed,
 *   every scratch directory and IPC object wiped, all verified, a fresh uid; harness/PROTOCOL.md,
 *   RESET) and serves another submission, up to SANDBOX_REUSE_MAX; one whose reset cannot be
 *   proven is removed. That spares each submission a container's start and teardown (~270 core-ms).
 */
@Injectable()
export class SandboxPool implements OnApplicationShutdown {
  private readonly logger = new Logger(SandboxPool.name);
  private readonly shelves = new Map<string, Shelf>();
  private readonly leases = new WeakMap<SandboxSession, Lease>();
  private stopped = false;
  /** Set once `warm` has started every warmed spec's sandboxes (or tried to). */
  private warmed = false;
  /** Sandboxes handed out and not yet released. */
  private busy = 0;

  constructor(
    private readonly launcher: SandboxLauncher,
    private readonly cores: CpuCoreLeases,
    private readonly config: SandboxConfig,
    metrics: SandboxMetrics,
  ) {
    metrics.observePool(() => this.sizes());
  }

  get reuse(): boolean {
    return this.config.SANDBOX_MODE === 'reuse';
  }

  /** Keeps SANDBOX_POOL_SIZE sandboxes of each spec ready from now on; returns once they started. */
  async warm(specs: SandboxSpec[]): Promise<void> {
    if (this.config.SANDBOX_POOL_SIZE === 0) {
      this.warmed = true;
      return;
    }
    for (const spec of specs) this.shelfFor(spec);
    await Promise.all([...this.shelves.values()].map((shelf) => this.refill(shelf)));
    this.warmed = true;
  }

  /**
   * Warm: `warm` has run, and no shelf is cold, that is, without a sandbox idle, starting or being
   * reset while its last start failed (Docker down, an image gone). A shelf whose sandboxes are all
   * leased out is busy, not cold. With SANDBOX_POOL_SIZE=0 nothing is kept warm by design: warm.
   */
  warmth(): PoolWarmth {
    if (!this.warmed) return { warm: false, reason: 'the sandboxes are not pre-started yet (the worker is preparing)' };
    const cold = [...this.shelves.values()].filter((shelf) => shelf.idle.length + shelf.starting + shelf.resetting.size === 0 && shelf.startFailure !== undefined);
    if (cold.length === 0) return { warm: true };
    return { warm: false, reason: `no sandbox ready for ${cold.map((shelf) => `${shelf.spec.image} (${shelf.startFailure})`).join('; ')}` };
  }

  /** The containers by state, for verdict_sandbox_pool_containers. */
  sizes(): Record<SandboxPoolState, number> {
    const sizes = { idle: 0, busy: this.busy, starting: 0, resetting: 0 };
    for (const shelf of this.shelves.values()) {
      sizes.idle += shelf.idle.length;
      sizes.starting += shelf.starting;
      sizes.resetting += shelf.resetting.size;
    }
    return sizes;
  }

  /**
   * A started sandbox for `spec`: a waiting one when the pool has it, else a fresh one. With
   * keepWarm, a spec the pool did not warm is kept warm from now on (a problem's checker: the first
   * submission starts its container, the next ones find one waiting).
   */
  async acquire(spec: SandboxSpec, { keepWarm = false } = {}): Promise<SandboxSession> {
    const warmed = keepWarm && this.config.SANDBOX_POOL_SIZE > 0 && !this.stopped;
    const shelf = warmed ? this.shelfFor(spec) : this.shelves.get(poolKey(spec, this.launcher.runtimeOf(spec)));
    let session: SandboxSession | undefined;
    while (shelf && !session) {
      session = await this.takeIdle(shelf, spec.memoryMb);
      // A reset finishes in milliseconds: waiting for one beats starting a container.
      if (!session && shelf.resetting.size > 0) await Promise.race(shelf.resetting);
      else break;
    }
    if (!session) {
      session = await this.launcher.open(spec);
      this.leases.set(session, { shelf, memoryMb: spec.memoryMb, runtime: this.launcher.runtimeOf(spec), served: 1 });
    }
    session.cpuCore = this.cores.acquire();
    this.busy += 1;
    return session;
  }

  /**
   * Gives a sandbox back once its submission is done. Never throws and does not wait for the
   * container: removal, or in reuse mode the reset, goes on in the background.
   */
  release(session: SandboxSession): void {
    this.busy -= 1;
    this.cores.release(session.cpuCore);
    session.cpuCore = null;
    const lease = this.leases.get(session);
    const shelf = lease?.shelf;
    const reusable = this.reuse && !this.stopped && shelf && !shelf.singleUse && session.isUsable && lease.served < this.config.SANDBOX_REUSE_MAX;
    if (!reusable) {
      void session.close().catch((error: Error) => this.logger.warn(`cannot close sandbox ${session.containerId.slice(0, 12)}: ${error.message}`));
      // The replacement starts now, not when this one was taken: a container's start costs ~270
      // core-ms, which would otherwise compete with the submission it was taken for.
      if (shelf) void this.refill(shelf);
      return;
    }
    const resetting: Promise<void> = session
      .reset()
      .then(async () => {
        if (this.stopped || shelf.idle.length >= Math.max(this.config.SANDBOX_POOL_SIZE, 1)) await session.close();
        else shelf.idle.push(session);
      })
      .catch(async (error: Error) => {
        if (error instanceof SandboxResetUnsupportedError) {
          shelf.singleUse = error.message;
          this.logger.warn(`sandboxes of ${shelf.spec.image} (runtime ${this.launcher.runtimeOf(shelf.spec) || 'default'}) are used once each: ${error.message}`);
        } else {
          this.logger.warn(`sandbox ${session.containerId.slice(0, 12)} cannot be reused (${error.message}); removing it`);
        }
        await session.close().catch(() => undefined);
      })
      .finally(() => {
        shelf.resetting.delete(resetting);
        void this.refill(shelf);
      });
    shelf.resetting.add(resetting);
  }

  private shelfFor(spec: SandboxSpec): Shelf {
    const key = poolKey(spec, this.launcher.runtimeOf(spec));
    let shelf = this.shelves.get(key);
    if (!shelf) {
      shelf = { spec: { ...spec, labels: undefined }, idle: [], starting: 0, resetting: new Set() };
      this.shelves.set(key, shelf);
    }
    return shelf;
  }

  /** How many started sandboxes wait, over all specs. */
  get idleCount(): number {
    return this.idleContainerIds().length;
  }

  /** Containers started (or reset) and waiting for a submission. */
  idleContainerIds(): string[] {
    return [...this.shelves.values()].flatMap((shelf) => shelf.idle.map((session) => session.containerId));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.shelves.values()].flatMap((shelf) => [...shelf.resetting]));
    const idle = [...this.shelves.values()].flatMap((shelf) => shelf.idle.splice(0));
    await Promise.allSettled(idle.map((session) => session.close()));
  }

  /** The next waiting sandbox that is still alive and can take this memory limit, leased out. */
  private async takeIdle(shelf: Shelf, memoryMb: number): Promise<SandboxSession | undefined> {
    let session: SandboxSession | undefined;
    while ((session = shelf.idle.shift())) {
      const lease = this.leases.get(session) ?? { shelf, memoryMb: shelf.spec.memoryMb, runtime: this.launcher.runtimeOf(shelf.spec), served: 0 };
      if (session.isUsable && (lease.memoryMb === memoryMb || (await this.resize(session, memoryMb)))) {
        this.leases.set(session, { ...lease, shelf, memoryMb, served: lease.served + 1 });
        return session;
      }
      await session.close(); // died while waiting (daemon restart, abort) or cannot be resized: gone
    }
    return undefined;
  }

  /**
   * Sets a leased sandbox's memory cgroup to what the rest of its use needs (a submission's runs,
   * once compiled): the backstop under the harness's own limits is then no larger than it must be.
   * Under runc only: gVisor cannot change a running sandbox's limit, which keeps its first size.
   */
  async fitMemory(session: SandboxSession, memoryMb: number): Promise<void> {
    const lease = this.leases.get(session);
    if (!lease || lease.memoryMb === memoryMb || lease.runtime === 'runsc') return;
    if (await this.resize(session, memoryMb)) lease.memoryMb = memoryMb;
  }

  private async resize(session: SandboxSession, memoryMb: number): Promise<boolean> {
    try {
      await this.launcher.setMemory(session.containerId, memoryMb);
      return true;
    } catch (error) {
      this.logger.warn(`cannot resize started sandbox ${session.containerId.slice(0, 12)}: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Starts what the shelf lacks (sandboxes being reset count as coming back). A failure (Docker
   * down, image missing) is logged and not retried until the next acquire, so a broken engine costs
   * one attempt per submission, not a hot loop.
   */
  private async refill(shelf: Shelf): Promise<void> {
    const missing = this.config.SANDBOX_POOL_SIZE - shelf.idle.length - shelf.starting - shelf.resetting.size;
    if (missing <= 0 || this.stopped) return;
    shelf.starting += missing;
    await Promise.all(
      Array.from({ length: missing }, async () => {
        try {
          const session = await this.launcher.open(shelf.spec);
          shelf.startFailure = undefined;
          if (this.stopped) await session.close();
          else shelf.idle.push(session);
        } catch (error) {
          shelf.startFailure = (error as Error).message;
          this.logger.warn(`cannot pre-start a sandbox from ${shelf.spec.image}: ${(error as Error).message}`);
        } finally {
          shelf.starting -= 1;
        }
      }),
    );
  }
}
