import { Injectable } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';

/**
 * Hands out the CPU cores runs are pinned to (SANDBOX_CPU_CORES), least used first, so concurrent
 * submissions on one worker do not share a core while another is idle, and a run is not migrated
 * between cores mid-way: both show up as timing noise. Without configured cores, nothing is pinned.
 */
@Injectable()
export class CpuCoreLeases {
  private readonly inUse = new Map<number, number>();

  constructor(config: SandboxConfig) {
    for (const core of parseCoreList(config.SANDBOX_CPU_CORES)) this.inUse.set(core, 0);
  }

  /** A core to pin to, or null when pinning is off. Give it back with `release`. */
  acquire(): number | null {
    let best: number | null = null;
    for (const [core, users] of this.inUse) if (best === null || users < this.inUse.get(best)!) best = core;
    if (best !== null) this.inUse.set(best, this.inUse.get(best)! + 1);
    return best;
  }

  release(core: number | null): void {
    if (core !== null && this.inUse.has(core)) this.inUse.set(core, Math.max(0, this.inUse.get(core)! - 1));
  }
}

/** "0,2-3" → [0, 2, 3]; the config validates the syntax. */
export function parseCoreList(list: string): number[] {
  if (!list.trim()) return [];
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.trim().split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}
