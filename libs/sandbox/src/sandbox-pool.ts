import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import { SandboxRunner, SandboxSpec } from './sandbox-runner';
import { SandboxSession } from './sandbox-session';

/**
 * What makes a pre-started container fit a request: image and runtime. Its memory limit is not part
 * of it: a container's cgroup can be resized in place (~12 ms), far cheaper than starting another.
 */
function poolKey(spec: SandboxSpec, runtime: string): string {
  return `${spec.image}|${runtime}`;
}

interface Shelf {
  spec: SandboxSpec;
  idle: SandboxSession[];
  /** Containers being started for this shelf right now. */
  starting: number;
}

/**
 * Takes container start-up off the critical path: keeps SANDBOX_POOL_SIZE started, single-use
 * sandboxes per warmed spec, their harness waiting for its first command. A submission takes one
 * (or, on a miss, opens a fresh one as before) and the pool starts a replacement in the background;
 * a used sandbox is never returned, it is removed (SandboxSession.close). Fresh per submission stays
 * the rule: the pool only changes *when* a container is started, not how often.
 */
@Injectable()
export class SandboxPool implements OnApplicationShutdown {
  private readonly logger = new Logger(SandboxPool.name);
  private readonly shelves = new Map<string, Shelf>();
  private stopped = false;

  constructor(
    private readonly runner: SandboxRunner,
    private readonly config: SandboxConfig,
  ) {}

  /** Keeps SANDBOX_POOL_SIZE sandboxes of each spec ready from now on; returns once they started. */
  async warm(specs: SandboxSpec[]): Promise<void> {
    if (this.config.SANDBOX_POOL_SIZE === 0) return;
    for (const spec of specs) {
      const key = poolKey(spec, this.runner.runtimeOf(spec));
      if (!this.shelves.has(key)) this.shelves.set(key, { spec: { ...spec, labels: undefined }, idle: [], starting: 0 });
    }
    await Promise.all([...this.shelves.values()].map((shelf) => this.refill(shelf)));
  }

  /** A started sandbox for `spec`: a pre-started one when the pool has it, else a fresh one. */
  async acquire(spec: SandboxSpec): Promise<SandboxSession> {
    const shelf = this.shelves.get(poolKey(spec, this.runner.runtimeOf(spec)));
    if (!shelf) return this.runner.open(spec);
    let session: SandboxSession | undefined;
    while ((session = shelf.idle.shift())) {
      if (session.isUsable && (spec.memoryMb === shelf.spec.memoryMb || (await this.resize(session, spec.memoryMb)))) break;
      await session.close(); // died while waiting (daemon restart, abort) or cannot be resized: gone
    }
    void this.refill(shelf);
    return session ?? this.runner.open(spec);
  }

  /** How many started sandboxes wait, over all specs. */
  get idleCount(): number {
    return this.idleContainerIds().length;
  }

  /** Containers started and waiting for a submission (none of them has run anything yet). */
  idleContainerIds(): string[] {
    return [...this.shelves.values()].flatMap((shelf) => shelf.idle.map((session) => session.containerId));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const idle = [...this.shelves.values()].flatMap((shelf) => shelf.idle.splice(0));
    await Promise.allSettled(idle.map((session) => session.close()));
  }

  private async resize(session: SandboxSession, memoryMb: number): Promise<boolean> {
    try {
      await this.runner.setMemory(session.containerId, memoryMb);
      return true;
    } catch (error) {
      this.logger.warn(`cannot resize pre-started sandbox ${session.containerId.slice(0, 12)}: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Starts what the shelf lacks. A failure (Docker down, image missing) is logged and not retried
   * until the next acquire, so a broken engine costs one attempt per submission, not a hot loop.
   */
  private async refill(shelf: Shelf): Promise<void> {
    const missing = this.config.SANDBOX_POOL_SIZE - shelf.idle.length - shelf.starting;
    if (missing <= 0 || this.stopped) return;
    shelf.starting += missing;
    await Promise.all(
      Array.from({ length: missing }, async () => {
        try {
          const session = await this.runner.open(shelf.spec);
          if (this.stopped) await session.close();
          else shelf.idle.push(session);
        } catch (error) {
          this.logger.warn(`cannot pre-start a sandbox from ${shelf.spec.image}: ${(error as Error).message}`);
        } finally {
          shelf.starting -= 1;
        }
      }),
    );
  }
}
