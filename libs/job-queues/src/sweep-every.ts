import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `sweep` now and then every `intervalMs` until `signal` aborts; resolves once stopped. A pass
 * that fails is reported to `onFailure` and the loop goes on (the next pass tries again). The
 * reconcilers' periodic sweeps for what a lost job or a crashed process left behind. The wait does
 * not keep the process alive.
 */
export async function sweepEvery(intervalMs: number, signal: AbortSignal, sweep: () => Promise<unknown>, onFailure: (error: Error) => void): Promise<void> {
  while (!signal.aborted) {
    try {
      await sweep();
    } catch (error) {
      onFailure(error as Error);
    }
    await sleep(intervalMs, undefined, { signal, ref: false }).catch(() => undefined);
  }
}
