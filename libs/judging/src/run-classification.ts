import { Verdict } from '@verdict/contracts';
import { RunResult } from '@verdict/sandbox';
import { constants } from 'node:os';

// Several names share a number (SIGIOT = SIGABRT); the first listed is the usual one.
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(constants.signals)) if (!SIGNAL_NAMES.has(n)) SIGNAL_NAMES.set(n, name);

export function signalName(signal: number | null): string | null {
  return signal === null ? null : (SIGNAL_NAMES.get(signal) ?? `signal ${signal}`);
}

/** The limits a run was held to, as the classification needs them. */
export interface RunLimits {
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryKb: number;
}

export interface RunClassification {
  /** A verdict decided by how the run ended, or null when it ended cleanly and the output decides. */
  verdict: Exclude<Verdict, 'AC' | 'WA' | 'CE' | 'IE'> | null;
  message: string;
}

/**
 * How a test run ended, from the harness's measurements. Limits are checked before exit status: a
 * program killed for exceeding a limit also dies of a signal, and the limit is the reason. A SIGKILL
 * that the harness did not send, with peak memory at the limit, is the kernel's OOM killer. A runtime
 * whose heap is capped at the limit (the JVM's -Xmx) fails on its own before the harness sees the
 * memory: its out-of-memory message (the language's memoryErrorMarkers) makes that an MLE too.
 */
export function classifyRun(run: RunResult, limits: RunLimits, memoryErrorMarkers: readonly string[] = []): RunClassification {
  const cpuMs = run.cpuTimeUs / 1000;
  const memoryMb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
  if (run.killedBy === 'cpu' || cpuMs > limits.cpuTimeMs) {
    return { verdict: 'TLE', message: `CPU time limit of ${limits.cpuTimeMs} ms exceeded` };
  }
  if (run.killedBy === 'wall') {
    return { verdict: 'TLE', message: `wall time limit of ${limits.wallTimeMs} ms exceeded (the program was waiting, not computing)` };
  }
  const oomKilled = run.signal === constants.signals.SIGKILL && run.killedBy === 'none' && run.maxRssKb >= limits.memoryKb * 0.9;
  if (run.killedBy === 'memory' || oomKilled || run.maxRssKb > limits.memoryKb) {
    return { verdict: 'MLE', message: `memory limit of ${memoryMb(limits.memoryKb)} exceeded (peak ${memoryMb(run.maxRssKb)})` };
  }
  if (run.killedBy === 'output') {
    return { verdict: 'OLE', message: 'output limit exceeded' };
  }
  const failed = run.signal !== null || run.exitCode !== 0;
  const marker = failed ? memoryErrorMarkers.find((text) => run.stderr.includes(text)) : undefined;
  if (marker) {
    return { verdict: 'MLE', message: `memory limit of ${memoryMb(limits.memoryKb)} exceeded (the runtime reported "${marker}")` };
  }
  if (run.signal !== null) {
    return { verdict: 'RE', message: `killed by signal ${signalName(run.signal)}` };
  }
  if (run.exitCode !== 0) {
    return { verdict: 'RE', message: `exit code ${run.exitCode}` };
  }
  return { verdict: null, message: '' };
}
