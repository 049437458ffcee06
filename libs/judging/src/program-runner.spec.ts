import { JudgingConfig, SandboxConfig, loadConfig } from '@verdict/config';
import { RunResult, RunSpec, SandboxFile, SandboxSession } from '@verdict/sandbox';
import { ProgramRunner } from './program-runner';
import { RunSpecs } from './run-specs';

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    exitCode: 0, signal: null, killedBy: 'none', cpuTimeUs: 1000, wallTimeUs: 2000, maxRssKb: 1000,
    stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), stdoutTruncated: false, stderrTruncated: false,
    ...overrides,
  } as RunResult;
}

/** A session that answers runs from a script and records what it was asked. */
class ScriptedSession {
  readonly calls: { files: SandboxFile[]; spec: RunSpec }[] = [];
  constructor(private readonly answers: RunResult[]) {}
  async runWith(files: SandboxFile[], spec: RunSpec): Promise<RunResult> {
    this.calls.push({ files, spec });
    return this.answers.shift()!;
  }
  run(spec: RunSpec): Promise<RunResult> {
    return this.runWith([], spec);
  }
}

describe('ProgramRunner', () => {
  const judging = loadConfig(JudgingConfig, { TIME_LIMIT_RERUN_MARGIN_PCT: '10', COMPILE_CPU_TIME_MS: '4000', PROBLEM_PROGRAM_COMPILE_CPU_TIME_MS: '60000', COMPILE_OUTPUT_KB: '64' });
  const runner = new ProgramRunner(new RunSpecs(judging, loadConfig(SandboxConfig, {})), judging);
  const files = [{ path: 'main.cpp', content: Buffer.from('int main(){}') }];
  const compiler = { command: ['g++', 'main.cpp'] };
  const limits = { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 };
  const input = { path: '@input', content: Buffer.from('1 2\n'), mode: 0o600 };

  describe('compile', () => {
    it("writes the files and compiles in one exchange, under the budget of whose code it is", async () => {
      const session = new ScriptedSession([result(), result()]);
      await runner.compile(session as unknown as SandboxSession, files, compiler, 'submission');
      await runner.compile(session as unknown as SandboxSession, files, compiler, 'problem-program');
      expect(session.calls.map((c) => [c.files, c.spec.argv, c.spec.cpuTimeMs])).toEqual([
        [files, ['g++', 'main.cpp'], 4000],
        [files, ['g++', 'main.cpp'], 60000],
      ]);
    });

    it('gives the compiler output of both streams, and no failure when it built', async () => {
      const session = new ScriptedSession([result({ stdout: Buffer.from('note\n'), stderr: Buffer.from('warning\n') })]);
      expect(await runner.compile(session as unknown as SandboxSession, files, compiler, 'submission')).toEqual({ output: 'note\nwarning\n', failure: null });
    });

    it.each([
      [{ exitCode: 1 }, 'compilation failed (exit code 1)'],
      [{ exitCode: null, signal: 9 }, 'compiler killed by signal SIGKILL'],
      [{ killedBy: 'cpu' }, 'compilation exceeded its CPU time limit of 4000 ms'],
      [{ killedBy: 'memory' }, `compilation exceeded its memory limit of ${judging.COMPILE_MEMORY_MB} MB`],
      [{ killedBy: 'output', stderrTruncated: true }, 'compilation produced more than 64 KiB of output'],
    ] as [Partial<RunResult>, string][])('names why a compilation failed: %j', async (ending, failure) => {
      const session = new ScriptedSession([result(ending)]);
      expect((await runner.compile(session as unknown as SandboxSession, files, compiler, 'submission')).failure).toBe(failure);
    });

    it('says where the output was cut', async () => {
      const session = new ScriptedSession([result({ stderr: Buffer.from('error: ...'), stderrTruncated: true })]);
      expect((await runner.compile(session as unknown as SandboxSession, files, compiler, 'submission')).output).toBe('error: ...\n[compiler output truncated at 64 KiB]');
    });
  });

  describe('runOnInput', () => {
    it('runs once on the input written to the private area when the run is within the CPU limit', async () => {
      const session = new ScriptedSession([result({ cpuTimeUs: 999_000 })]);
      const measured = await runner.runOnInput(session as unknown as SandboxSession, { command: ['./main'] }, limits, input);
      expect(measured.cpuTimeMsRuns).toEqual([999]);
      expect(session.calls).toHaveLength(1);
      expect(session.calls[0].files).toEqual([input]);
      expect(session.calls[0].spec.stdinPath).toBe('@input');
    });

    it('a run that finished just over the CPU limit runs once more, and the second run is the one measured', async () => {
      const session = new ScriptedSession([result({ cpuTimeUs: 1_050_000 }), result({ cpuTimeUs: 980_000, maxRssKb: 2000 })]);
      const measured = await runner.runOnInput(session as unknown as SandboxSession, { command: ['./main'] }, limits, input);
      expect(measured.cpuTimeMsRuns).toEqual([1050, 980]);
      expect(measured.run.maxRssKb).toBe(2000);
      expect(session.calls[1].files).toEqual([]); // the input is still there
    });

    it('a run the harness stopped at its limit is not run again', async () => {
      const session = new ScriptedSession([result({ cpuTimeUs: 1_100_000, killedBy: 'cpu' })]);
      const measured = await runner.runOnInput(session as unknown as SandboxSession, { command: ['./main'] }, limits, input);
      expect(measured.cpuTimeMsRuns).toEqual([1100]);
      expect(session.calls).toHaveLength(1);
    });
  });
});
