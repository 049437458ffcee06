import { RunResult } from '@verdict/sandbox';
import { classifyRun, signalName } from './run-classification';

const limits = { cpuTimeMs: 1000, wallTimeMs: 3000, memoryKb: 256 * 1024 };

function run(overrides: Partial<RunResult>): RunResult {
  return {
    exitCode: 0,
    signal: null,
    killedBy: 'none',
    cpuTimeUs: 10_000,
    userTimeUs: 9_000,
    sysTimeUs: 1_000,
    wallTimeUs: 12_000,
    maxRssKb: 10_000,
    stdout: Buffer.from('3\n'),
    stdoutTruncated: false,
    stderr: Buffer.alloc(0),
    stderrTruncated: false,
    ...overrides,
  };
}

describe('classifyRun', () => {
  it('leaves a clean exit to the checker', () => {
    expect(classifyRun(run({}), limits)).toEqual({ verdict: null, message: '' });
  });

  it('is TLE when the harness killed for CPU, or CPU time ran over without a kill', () => {
    expect(classifyRun(run({ killedBy: 'cpu', signal: 9, exitCode: null }), limits).verdict).toBe('TLE');
    expect(classifyRun(run({ cpuTimeUs: 1_000_001 }), limits).message).toBe('CPU time limit of 1000 ms exceeded');
  });

  it('is TLE with a wall-time message for a sleeping program', () => {
    const c = classifyRun(run({ killedBy: 'wall', signal: 9, exitCode: null, cpuTimeUs: 1000 }), limits);
    expect(c.verdict).toBe('TLE');
    expect(c.message).toContain('wall time limit of 3000 ms');
  });

  it('is MLE for a harness kill, peak over the limit, or an OOM kill near the limit', () => {
    expect(classifyRun(run({ killedBy: 'memory', signal: 9, exitCode: null }), limits).verdict).toBe('MLE');
    expect(classifyRun(run({ maxRssKb: 300 * 1024 }), limits).verdict).toBe('MLE');
    expect(classifyRun(run({ signal: 9, exitCode: null, maxRssKb: 250 * 1024 }), limits).verdict).toBe('MLE');
  });

  it('is RE for a SIGKILL far from the memory limit (the program killed itself)', () => {
    expect(classifyRun(run({ signal: 9, exitCode: null, maxRssKb: 2000 }), limits)).toEqual({
      verdict: 'RE',
      message: 'killed by signal SIGKILL',
    });
  });

  it('is OLE when output ran over', () => {
    expect(classifyRun(run({ killedBy: 'output', signal: 9, exitCode: null }), limits).verdict).toBe('OLE');
  });

  it('is RE for a signal or a non-zero exit code, and says which', () => {
    expect(classifyRun(run({ signal: 11, exitCode: null }), limits).message).toBe('killed by signal SIGSEGV');
    expect(classifyRun(run({ exitCode: 3 }), limits)).toEqual({ verdict: 'RE', message: 'exit code 3' });
  });

  it('puts limits before exit status: a TLE kill is not an RE', () => {
    expect(classifyRun(run({ killedBy: 'cpu', signal: 9, exitCode: null, maxRssKb: 999_999 }), limits).verdict).toBe('TLE');
  });

  it("is MLE when a runtime capped at the limit reports running out of memory, RE for other failures", () => {
    const oom = run({ exitCode: 1, stderr: Buffer.from('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n') });
    expect(classifyRun(oom, limits, ['java.lang.OutOfMemoryError'])).toEqual({
      verdict: 'MLE',
      message: 'memory limit of 256.0 MB exceeded (the runtime reported "java.lang.OutOfMemoryError")',
    });
    expect(classifyRun(oom, limits).verdict).toBe('RE');
    expect(classifyRun(run({ exitCode: 1, stderr: Buffer.from('IndexError\n') }), limits, ['MemoryError']).verdict).toBe('RE');
    // A program that prints the marker and exits cleanly is judged on its output.
    expect(classifyRun(run({ stderr: Buffer.from('MemoryError') }), limits, ['MemoryError']).verdict).toBeNull();
  });

  it('names signals', () => {
    expect(signalName(6)).toBe('SIGABRT');
    expect(signalName(null)).toBeNull();
  });
});
