import { JudgingConfig, SandboxConfig, loadConfig } from '@verdict/config';
import { RunSpecs } from './run-specs';

describe('RunSpecs', () => {
  const judging = loadConfig(JudgingConfig, { TIME_LIMIT_RERUN_MARGIN_PCT: '10', INTERACTOR_WALL_GRACE_MS: '2000' });
  const sandbox = loadConfig(SandboxConfig, { SANDBOX_STACK_MB: '0' });
  const specs = new RunSpecs(judging, sandbox);
  const limits = { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 };

  it("a submission's run: the limits, the re-run margin on CPU, the stack as large as memory, the memory in its command", () => {
    const spec = specs.submission({ command: ['java', '-Xmx{memoryMb}m', 'Main'], env: { A: '{memoryMb}' } }, limits, '@input');
    expect(spec).toMatchObject({
      argv: ['java', '-Xmx256m', 'Main'],
      env: expect.objectContaining({ A: '256' }),
      stdinPath: '@input',
      cpuTimeMs: 1100,
      wallTimeMs: 3000,
      memoryKb: 256 * 1024,
      stackKb: 256 * 1024,
      stdoutMaxBytes: 64 * 1024,
      fsizeKb: sandbox.SANDBOX_FSIZE_MB * 1024,
      nofile: sandbox.SANDBOX_NOFILE,
    });
  });

  it('a compiler: the limits it is given, nothing on stdin, the compile output bound', () => {
    expect(specs.compile({ command: ['g++', 'main.cpp'] }, { cpuTimeMs: 5000, wallTimeMs: 10000, memoryMb: 1024 })).toMatchObject({
      stdinPath: null,
      cpuTimeMs: 5000,
      wallTimeMs: 10000,
      memoryKb: 1024 * 1024,
      stdoutMaxBytes: judging.COMPILE_OUTPUT_KB * 1024,
    });
  });

  it("an interactor: its own CPU and memory, the submission's wall limit plus the grace", () => {
    expect(specs.interactor(['./interactor'], undefined, 3000)).toMatchObject({
      cpuTimeMs: judging.INTERACTOR_CPU_TIME_MS,
      wallTimeMs: 5000,
      memoryKb: judging.INTERACTOR_MEMORY_MB * 1024,
    });
  });

  it("a checker: the CHECKER_* limits and its program's environment", () => {
    expect(specs.checker(['./checker'], { LANG: 'x' }, null)).toMatchObject({
      cpuTimeMs: judging.CHECKER_CPU_TIME_MS,
      wallTimeMs: judging.CHECKER_WALL_TIME_MS,
      env: expect.objectContaining({ LANG: 'x' }),
    });
  });
});
