import { Logger } from '@nestjs/common';
import { SandboxConfig, loadConfig } from '@verdict/config';
import { MetricsRegistry, SandboxMetrics } from '@verdict/metrics';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { CpuCoreLeases } from './cpu-core-leases';
import { SandboxPool } from './sandbox-pool';
import { SandboxLauncher, SandboxSpec } from './sandbox-launcher';
import { SandboxSession } from './sandbox-session';
import { SandboxBrokenError, SandboxResetUnsupportedError, SandboxUnavailableError } from './sandbox.errors';

/**
 * SandboxPool over a fake launcher whose "containers" are plain objects: started, resized, reset and
 * removed in memory. The pool's background work (removal, reset, refill) runs on promise callbacks,
 * which `settle` lets finish.
 */

let containers = 0;

class FakeSandbox {
  readonly containerId = `c${++containers}`.padEnd(16, '0');
  cpuCore: number | null = null;
  closed = false;
  /** Died under its lease or while it waited (a daemon restart, an abort). */
  dead = false;
  resets = 0;
  /** What the harness answers to RESET. */
  resetReply: () => Promise<void> = async () => undefined;

  constructor(readonly spec: SandboxSpec) {}

  get isUsable(): boolean {
    return !this.closed && !this.dead;
  }

  async reset(): Promise<void> {
    this.resets += 1;
    return this.resetReply();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

class FakeLauncher {
  readonly started: FakeSandbox[] = [];
  /** Each container's memory cgroup limit, as Docker holds it. */
  readonly memoryMb = new Map<string, number>();
  down: Error | null = null;
  resizeFails = false;
  /** Applied to every sandbox this launcher starts from now on. */
  onStart: (sandbox: FakeSandbox) => void = () => undefined;

  constructor(private readonly config: SandboxConfig) {}

  async open(spec: SandboxSpec): Promise<FakeSandbox> {
    if (this.down) throw this.down;
    const sandbox = new FakeSandbox(spec);
    this.onStart(sandbox);
    this.started.push(sandbox);
    this.memoryMb.set(sandbox.containerId, spec.memoryMb);
    return sandbox;
  }

  runtimeOf(spec: SandboxSpec): string {
    return spec.runtime || this.config.SANDBOX_RUNTIME;
  }

  async setMemory(containerId: string, memoryMb: number): Promise<void> {
    if (this.resizeFails) throw new Error('Cannot update container: memory limit should be larger than already set memory usage');
    this.memoryMb.set(containerId, memoryMb);
  }

  get live(): FakeSandbox[] {
    return this.started.filter((s) => !s.closed);
  }
}

const PYTHON: SandboxSpec = { image: 'verdict/python:latest', memoryMb: 1344 };
const CPP: SandboxSpec = { image: 'verdict/cpp:latest', memoryMb: 1344 };
const CHECKER: SandboxSpec = { image: 'verdict/cpp:latest', memoryMb: 1600, privateAreaMb: 256 };

/** Lets the pool's background work (removal, reset, refill) finish. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SandboxPool', () => {
  let launcher: FakeLauncher;
  let pool: SandboxPool;
  let warnings: string[];
  let metrics: MetricsRegistry;

  function setUp(env: Record<string, string> = {}): void {
    const config = loadConfig(SandboxConfig, { SANDBOX_POOL_SIZE: '2', ...env });
    launcher = new FakeLauncher(config);
    metrics = new MetricsRegistry('worker');
    pool = new SandboxPool(launcher as unknown as SandboxLauncher, new CpuCoreLeases(config), config, metrics.group(SandboxMetrics));
  }

  /** verdict_sandbox_pool_containers as scraped, by state. */
  async function exported(): Promise<Record<string, number>> {
    const exposition = new Exposition((await metrics.exposition()).text);
    return Object.fromEntries(exposition.matching('verdict_sandbox_pool_containers').map((s) => [s.labels.state, s.value]));
  }

  const acquire = async (spec: SandboxSpec, options?: { keepWarm?: boolean }) => (await pool.acquire(spec, options)) as unknown as FakeSandbox;
  const release = (sandbox: FakeSandbox) => pool.release(sandbox as unknown as SandboxSession);

  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    setUp();
  });
  afterEach(() => jest.restoreAllMocks());

  describe('warm', () => {
    it('starts SANDBOX_POOL_SIZE sandboxes of each spec and returns once they are started', async () => {
      await pool.warm([PYTHON, CPP]);
      expect(launcher.started.map((s) => s.spec.image).sort()).toEqual([CPP.image, CPP.image, PYTHON.image, PYTHON.image]);
      expect(pool.idleCount).toBe(4);
      expect(pool.idleContainerIds().sort()).toEqual(launcher.started.map((s) => s.containerId).sort());
    });

    it('keeps one shelf for specs that differ only in memory (a started container is resized instead)', async () => {
      await pool.warm([PYTHON, { ...PYTHON, memoryMb: 512 }]);
      expect(launcher.started).toHaveLength(2);
    });

    it('with SANDBOX_POOL_SIZE=0 starts nothing', async () => {
      setUp({ SANDBOX_POOL_SIZE: '0' });
      await pool.warm([PYTHON]);
      expect(launcher.started).toEqual([]);
    });

    it('survives Docker being down: nothing waits, and an acquire then tries to start one itself', async () => {
      launcher.down = new SandboxUnavailableError('cannot create sandbox from image verdict/python:latest: connect ENOENT');
      await pool.warm([PYTHON]);
      expect(pool.idleCount).toBe(0);
      expect(warnings).toEqual([expect.stringContaining('cannot pre-start a sandbox from verdict/python:latest'), expect.any(String)]);
      await expect(pool.acquire(PYTHON)).rejects.toThrow(SandboxUnavailableError);
      launcher.down = null;
      await expect(acquire(PYTHON)).resolves.toBeInstanceOf(FakeSandbox);
    });
  });

  describe('acquire and release (fresh mode, the default)', () => {
    it('hands out a waiting sandbox without starting one; the replacement starts when it is released, not before', async () => {
      await pool.warm([PYTHON]);
      const waiting = pool.idleContainerIds();
      const sandbox = await acquire(PYTHON);
      expect(waiting).toContain(sandbox.containerId);
      expect(launcher.started).toHaveLength(2);
      expect(pool.idleCount).toBe(1);

      release(sandbox);
      await settle();
      expect(sandbox.closed).toBe(true);
      expect(launcher.started).toHaveLength(3);
      expect(pool.idleCount).toBe(2);
    });

    it('never hands one sandbox to two submissions, and starts one on demand when none waits', async () => {
      await pool.warm([PYTHON]);
      const taken = await Promise.all([acquire(PYTHON), acquire(PYTHON), acquire(PYTHON)]);
      expect(new Set(taken.map((s) => s.containerId)).size).toBe(3);
      expect(launcher.started).toHaveLength(3);
    });

    it('starts a sandbox of a spec it does not keep on demand, with the labels asked for, and removes it after use', async () => {
      await pool.warm([PYTHON]);
      const spec = { ...CPP, labels: { 'org.verdict.submission': 'abc' } };
      const sandbox = await acquire(spec);
      expect(sandbox.spec).toEqual(spec);
      release(sandbox);
      await settle();
      expect(sandbox.closed).toBe(true);
      expect(launcher.started.filter((s) => s.spec.image === CPP.image)).toHaveLength(1);
    });

    it('with SANDBOX_POOL_SIZE=0: every acquire starts a sandbox, every release removes it', async () => {
      setUp({ SANDBOX_POOL_SIZE: '0' });
      await pool.warm([PYTHON]);
      const sandbox = await acquire(PYTHON);
      expect(launcher.started).toEqual([sandbox]);
      release(sandbox);
      await settle();
      expect(launcher.live).toEqual([]);
      expect(pool.idleCount).toBe(0);
    });

    it('keepWarm: a spec first asked for then (a problem\'s checker) is kept warm from then on', async () => {
      const first = await acquire(CHECKER, { keepWarm: true });
      release(first);
      await settle();
      expect(pool.idleCount).toBe(2);
      const second = await acquire(CHECKER, { keepWarm: true });
      expect(launcher.started).toHaveLength(3);
      expect(second).not.toBe(first);
    });

    it('skips (and removes) a waiting sandbox that died while it waited', async () => {
      await pool.warm([PYTHON]);
      const [dead, alive] = launcher.started;
      dead.dead = true;
      expect(await acquire(PYTHON)).toBe(alive);
      expect(dead.closed).toBe(true);
    });

    it('resizes a waiting sandbox to the memory asked for; one that cannot be resized is removed and the next tried', async () => {
      await pool.warm([PYTHON]);
      const first = await acquire({ ...PYTHON, memoryMb: 800 });
      expect(launcher.memoryMb.get(first.containerId)).toBe(800);

      launcher.resizeFails = true;
      const [other] = launcher.live.filter((s) => s !== first);
      const second = await acquire({ ...PYTHON, memoryMb: 900 });
      expect(other.closed).toBe(true);
      expect(second).not.toBe(other);
      expect(second.spec.memoryMb).toBe(900); // started for it
    });

    it('pins each leased sandbox to a CPU core of its own (SANDBOX_CPU_CORES), least used first, and frees it on release', async () => {
      setUp({ SANDBOX_CPU_CORES: '2-3' });
      const a = await acquire(PYTHON);
      const b = await acquire(PYTHON);
      expect([a.cpuCore, b.cpuCore]).toEqual([2, 3]);
      release(b);
      expect(b.cpuCore).toBeNull();
      // Core 3 is free again, core 2 still busy.
      expect((await acquire(PYTHON)).cpuCore).toBe(3);
      // Both busy: one is shared.
      expect((await acquire(PYTHON)).cpuCore).toBe(2);
    });

    it('pins nothing without SANDBOX_CPU_CORES', async () => {
      expect((await acquire(PYTHON)).cpuCore).toBeNull();
    });
  });

  describe('reuse mode', () => {
    beforeEach(() => setUp({ SANDBOX_MODE: 'reuse', SANDBOX_POOL_SIZE: '1', SANDBOX_REUSE_MAX: '3' }));

    it('resets a released sandbox and hands it to the next submission, up to SANDBOX_REUSE_MAX, then removes it', async () => {
      await pool.warm([PYTHON]);
      const [sandbox] = launcher.started;
      for (let use = 1; use <= 3; use++) {
        expect(await acquire(PYTHON)).toBe(sandbox);
        release(sandbox);
        await settle();
      }
      expect(sandbox.resets).toBe(2); // after the 1st and 2nd submissions; the 3rd was its last
      expect(sandbox.closed).toBe(true);
      expect(launcher.started).toHaveLength(2);
      expect(pool.idleContainerIds()).toEqual([launcher.started[1].containerId]);
    });

    it('waits for a reset under way rather than starting a container', async () => {
      await pool.warm([PYTHON]);
      const sandbox = await acquire(PYTHON);
      let resetDone!: () => void;
      sandbox.resetReply = () => new Promise<void>((resolve) => (resetDone = resolve));
      release(sandbox);
      const next = acquire(PYTHON);
      await settle();
      expect(launcher.started).toHaveLength(1);
      resetDone();
      expect(await next).toBe(sandbox);
    });

    it('removes a sandbox whose reset fails, and starts a replacement', async () => {
      await pool.warm([PYTHON]);
      const sandbox = await acquire(PYTHON);
      sandbox.resetReply = async () => Promise.reject(new SandboxBrokenError('RESET: a process survived'));
      release(sandbox);
      await settle();
      expect(sandbox.closed).toBe(true);
      expect(warnings).toEqual([expect.stringContaining('cannot be reused (RESET: a process survived); removing it')]);
      const next = await acquire(PYTHON);
      expect(next).not.toBe(sandbox);
      expect(launcher.started).toHaveLength(2);
    });

    it('a runtime that cannot prove a reset (gVisor) makes its sandboxes single-use from then on', async () => {
      launcher.onStart = (s) => (s.resetReply = async () => Promise.reject(new SandboxResetUnsupportedError('System V IPC is not visible under gVisor')));
      await pool.warm([PYTHON]);
      const first = await acquire(PYTHON);
      release(first);
      await settle();
      expect(first.closed).toBe(true);
      const second = await acquire(PYTHON);
      release(second);
      await settle();
      expect(second.resets).toBe(0); // not even tried
      expect(second.closed).toBe(true);
      expect(warnings.filter((w) => w.includes('are used once each'))).toHaveLength(1);
    });

    it('does not reuse a sandbox that broke during its lease', async () => {
      await pool.warm([PYTHON]);
      const sandbox = await acquire(PYTHON);
      sandbox.dead = true;
      release(sandbox);
      await settle();
      expect(sandbox.resets).toBe(0);
      expect(sandbox.closed).toBe(true);
      expect(pool.idleCount).toBe(1);
    });

    it('keeps no more reset sandboxes than the pool holds', async () => {
      await pool.warm([PYTHON]);
      const a = await acquire(PYTHON);
      const b = await acquire(PYTHON); // started on demand for the same shelf
      release(a);
      release(b);
      await settle();
      expect(pool.idleCount).toBe(1);
      expect([a, b].filter((s) => s.closed)).toHaveLength(1);
    });

    it('does not reuse a sandbox of a spec it does not keep', async () => {
      const sandbox = await acquire(CPP);
      release(sandbox);
      await settle();
      expect(sandbox.resets).toBe(0);
      expect(sandbox.closed).toBe(true);
    });
  });

  describe('fitMemory', () => {
    it("sets a leased sandbox's memory cgroup to what the rest of its lease needs", async () => {
      const sandbox = await acquire(PYTHON);
      await pool.fitMemory(sandbox as unknown as SandboxSession, 576);
      expect(launcher.memoryMb.get(sandbox.containerId)).toBe(576);
    });

    it('leaves a sandbox under gVisor (runsc) as it is: its limit cannot change while it runs', async () => {
      const sandbox = await acquire({ ...PYTHON, runtime: 'runsc' });
      await pool.fitMemory(sandbox as unknown as SandboxSession, 576);
      expect(launcher.memoryMb.get(sandbox.containerId)).toBe(PYTHON.memoryMb);
    });

    it('does not fail when the resize does (the backstop just stays larger)', async () => {
      const sandbox = await acquire(PYTHON);
      launcher.resizeFails = true;
      await expect(pool.fitMemory(sandbox as unknown as SandboxSession, 576)).resolves.toBeUndefined();
      expect(launcher.memoryMb.get(sandbox.containerId)).toBe(PYTHON.memoryMb);
    });

    it('in reuse mode, the next submission gets its own memory back, not the shrunk limit of the last one', async () => {
      setUp({ SANDBOX_MODE: 'reuse', SANDBOX_POOL_SIZE: '1' });
      await pool.warm([PYTHON]);
      const sandbox = await acquire(PYTHON);
      await pool.fitMemory(sandbox as unknown as SandboxSession, 576);
      release(sandbox);
      await settle();
      expect(await acquire(PYTHON)).toBe(sandbox);
      expect(launcher.memoryMb.get(sandbox.containerId)).toBe(PYTHON.memoryMb);
    });
  });

  describe('shutdown', () => {
    it('removes every waiting sandbox, and starts no replacement for those released afterwards', async () => {
      await pool.warm([PYTHON, CPP]);
      const leased = await acquire(PYTHON);
      await pool.onApplicationShutdown();
      expect(launcher.live).toEqual([leased]);
      release(leased);
      await settle();
      expect(launcher.live).toEqual([]);
      expect(launcher.started).toHaveLength(4);
    });

    it('waits for resets under way, then removes those sandboxes too', async () => {
      setUp({ SANDBOX_MODE: 'reuse', SANDBOX_POOL_SIZE: '1' });
      await pool.warm([PYTHON]);
      const sandbox = await acquire(PYTHON);
      let resetDone!: () => void;
      sandbox.resetReply = () => new Promise<void>((resolve) => (resetDone = resolve));
      release(sandbox);
      const stopped = pool.onApplicationShutdown();
      await settle();
      resetDone();
      await stopped;
      expect(sandbox.closed).toBe(true);
      expect(launcher.live).toEqual([]);
    });

    it('removes a sandbox that finishes starting after shutdown', async () => {
      let started!: () => void;
      const gate = new Promise<void>((resolve) => (started = resolve));
      const open = launcher.open.bind(launcher);
      launcher.open = async (spec) => {
        await gate;
        return open(spec);
      };
      const warming = pool.warm([PYTHON]);
      await pool.onApplicationShutdown();
      started();
      await warming;
      expect(launcher.started).toHaveLength(2);
      expect(launcher.live).toEqual([]);
      expect(pool.idleCount).toBe(0);
    });
  });

  describe('sizes and warmth (the worker\'s gauges and readiness)', () => {
    it('exports its containers by state when scraped: idle, busy while leased, starting, resetting', async () => {
      expect(await exported()).toEqual({ idle: 0, busy: 0, starting: 0, resetting: 0 });
      await pool.warm([PYTHON]);
      expect(await exported()).toEqual({ idle: 2, busy: 0, starting: 0, resetting: 0 });
      const sandbox = await acquire(PYTHON);
      expect(await exported()).toEqual({ idle: 1, busy: 1, starting: 0, resetting: 0 });
      release(sandbox);
      // Fresh mode: the used one goes, its replacement is starting until it has started.
      expect(await exported()).toEqual({ idle: 1, busy: 0, starting: 1, resetting: 0 });
      await settle();
      expect(await exported()).toEqual({ idle: 2, busy: 0, starting: 0, resetting: 0 });
    });

    it('counts a sandbox being reset for reuse as resetting', async () => {
      setUp({ SANDBOX_MODE: 'reuse' });
      await pool.warm([PYTHON]);
      let finishReset!: () => void;
      const sandbox = await acquire(PYTHON);
      sandbox.resetReply = () => new Promise<void>((resolve) => (finishReset = resolve));
      release(sandbox);
      expect(pool.sizes()).toEqual({ idle: 1, busy: 0, starting: 0, resetting: 1 });
      finishReset();
      await settle();
      expect(pool.sizes()).toEqual({ idle: 2, busy: 0, starting: 0, resetting: 0 });
    });

    it('is not warm before warm() ran, nor while a shelf has nothing ready and its last start failed; busy is not cold', async () => {
      expect(pool.warmth()).toMatchObject({ warm: false, reason: expect.stringMatching(/not pre-started yet/) });
      await pool.warm([PYTHON]);
      expect(pool.warmth()).toEqual({ warm: true });
      // Every sandbox leased out: busy, not cold.
      const leased = [await acquire(PYTHON), await acquire(PYTHON)];
      expect(pool.warmth()).toEqual({ warm: true });
      // Docker goes away: the replacements cannot start, nothing is ready.
      launcher.down = new SandboxUnavailableError('Docker Engine unreachable at /var/run/docker.sock (ECONNREFUSED)');
      for (const sandbox of leased) release(sandbox);
      await settle();
      expect(pool.warmth()).toEqual({ warm: false, reason: `no sandbox ready for ${PYTHON.image} (Docker Engine unreachable at /var/run/docker.sock (ECONNREFUSED))` });
      // Back: the next acquire's release refills it.
      launcher.down = null;
      release(await acquire(PYTHON));
      await settle();
      expect(pool.warmth()).toEqual({ warm: true });
    });

    it('with SANDBOX_POOL_SIZE=0 keeps nothing warm by design, and says warm once warm() ran', async () => {
      setUp({ SANDBOX_POOL_SIZE: '0' });
      await pool.warm([PYTHON]);
      expect(pool.warmth()).toEqual({ warm: true });
    });
  });
});
