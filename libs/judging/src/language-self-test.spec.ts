import { TestResult } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';
import { JudgeOutcome } from './judge-progress';
import { commandFailure, selfTestFailure, selfTestJob, versionFromOutput } from './language-self-test';

const DEFAULTS = { cpuTimeMs: 2000, wallTimeMs: 5000, memoryMb: 256, outputKb: 1024 };

function outcome(overrides: Partial<JudgeOutcome>, test: Partial<TestResult> = {}): JudgeOutcome {
  return {
    verdict: 'AC',
    tests: [
      {
        index: 0,
        name: 'self-test',
        verdict: 'AC',
        score: 1,
        cpuTimeMs: 1,
        cpuTimeMsRuns: [1],
        wallTimeMs: 2,
        memoryKb: 1000,
        exitCode: 0,
        signal: null,
        stdout: '',
        stdoutTruncated: false,
        stderr: '',
        stderrTruncated: false,
        message: '',
        ...test,
      },
    ],
    compileOutput: '',
    message: null,
    score: 100,
    maxScore: 100,
    subtasks: [],
    ...overrides,
  };
}

describe('language self-test', () => {
  it('judges every built-in language as a submission would be: its own program, one inline test, the exact checker', () => {
    for (const language of LanguageCatalog.load().list()) {
      const job = selfTestJob(language, DEFAULTS);
      expect(job).toMatchObject({ language: language.id, source: language.selfTest.source, kind: 'stdio', checker: { type: 'exact' } });
      expect(job.tests).toEqual([{ index: 0, name: 'self-test', input: { text: language.selfTest.input }, answer: { text: language.selfTest.expectedOutput } }]);
      // The runtime's own allowance applies, so the JVM gets the heap a Java submission gets.
      expect(job.limits.memoryMb).toBe(256 + (language.limits?.extraMemoryMb ?? 0));
      // An echo program: the answer is the input.
      expect(language.selfTest.expectedOutput).toBe(language.selfTest.input);
    }
  });

  it('says nothing about a pass', () => {
    expect(selfTestFailure(outcome({}))).toBeNull();
  });

  it('quotes the compiler when the self-test does not compile', () => {
    const failure = selfTestFailure(outcome({ verdict: 'CE', tests: [], message: 'compilation failed (exit code 1)', compileOutput: "Main.java:3: error: ';' expected\n" }));
    expect(failure).toMatch(/^CE: compilation failed \(exit code 1\)/);
    expect(failure).toContain("Main.java:3: error: ';' expected");
  });

  it('quotes what the program printed when it ran but failed', () => {
    const failure = selfTestFailure(
      outcome({ verdict: 'RE' }, { verdict: 'RE', message: 'exit code 127', stderr: 'exec: java: not found\n', stdout: '' }),
    );
    expect(failure).toMatch(/^RE: exit code 127/);
    expect(failure).toContain('stderr:\n        exec: java: not found');
    expect(failure).not.toContain('stdout:');
  });

  it('cuts long output short', () => {
    const failure = selfTestFailure(outcome({ verdict: 'WA' }, { verdict: 'WA', message: 'byte 1 differs', stdout: 'x'.repeat(5000) }))!;
    expect(failure.length).toBeLessThan(1000);
    expect(failure).toContain('[...]');
  });

  it('takes the first non-empty line of the version command, from stderr when stdout is empty', () => {
    expect(versionFromOutput('openjdk 17.0.19 2026-04-21\nOpenJDK Runtime Environment\n', '')).toBe('openjdk 17.0.19 2026-04-21');
    expect(versionFromOutput('\n  v18.20.4  \n', '')).toBe('v18.20.4');
    expect(versionFromOutput('', 'Python 3.11.2\n')).toBe('Python 3.11.2');
    expect(versionFromOutput(' \n', '')).toBeNull();
  });

  it('says how a version command failed', () => {
    expect(commandFailure({ killedBy: 'none', signal: null, exitCode: 0 })).toBeNull();
    expect(commandFailure({ killedBy: 'none', signal: null, exitCode: 127 })).toBe('exited with code 127');
    expect(commandFailure({ killedBy: 'none', signal: 11, exitCode: null })).toBe('was killed by signal SIGSEGV');
    expect(commandFailure({ killedBy: 'wall', signal: 9, exitCode: null })).toBe('was stopped at its wall limit');
  });
});
