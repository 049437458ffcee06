import { ByteStream, chunksOf } from '@verdict/checkers';
import { JudgingConfig, SandboxConfig, loadConfig } from '@verdict/config';
import { JudgeJobPayload, ScoringPlan, TestData, TestResult, defaultScoringPlan, isStoredData } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';
import { RunResult, RunSpec, SandboxBrokenError, SandboxEnding, SandboxFile, SandboxPool, SandboxSpec, SandboxUnavailableError } from '@verdict/sandbox';
import { constants } from 'node:os';
import { JudgeProgress } from './judge-progress';
import { JudgeSubmission } from './judge-submission';
import { JudgingBudgetExceededError } from './judge-watchdog';
import { OutputVerifiers } from './output-verifiers';
import { ProblemProgramBuilder } from './problem-program-builder';
import { ProgramRunner } from './program-runner';
import { RunSpecs } from './run-specs';
import { SandboxSpecs } from './sandbox-specs';
import { TestDataSource, TestDataUnavailableError } from './test-data-source';
import { UnjudgeableSubmissionError } from './unjudgeable-submission.error';

/**
 * JudgeSubmission with everything around it faked in memory: a pool handing out sessions whose
 * "harness" runs a scripted submission (a function of the test's input), inline test data. The
 * run-specs, sandbox specs, classification, built-in checkers and scoring are the real ones.
 */

/** What a run measured, with the defaults of a quick, clean run. */
function ran(overrides: Partial<RunResult> = {}): RunResult {
  return {
    exitCode: 0,
    signal: null,
    killedBy: 'none',
    cpuTimeUs: 50_000,
    userTimeUs: 40_000,
    sysTimeUs: 10_000,
    wallTimeUs: 60_000,
    maxRssKb: 4_000,
    stdout: Buffer.alloc(0),
    stdoutTruncated: false,
    stderr: Buffer.alloc(0),
    stderrTruncated: false,
    ...overrides,
  };
}

/** The submission as the fake harness runs it: its compiler, and its program on one test's input. */
interface ScriptedSubmission {
  compile?: (files: SandboxFile[], session: FakeSession) => Partial<RunResult>;
  /** `run` is 1 for a test's first run, 2 for its re-run. */
  run: (input: string, call: { session: FakeSession; run: number }) => Partial<RunResult> | Promise<Partial<RunResult>>;
}

let sessions = 0;

/** A started sandbox: keeps the files written into it and answers runs from the script. */
class FakeSession {
  readonly containerId = `fake-${++sessions}`;
  cpuCore: number | null = null;
  usable = true;
  aborted: string | null = null;
  endingValue: SandboxEnding = { kind: 'running' };
  readonly files = new Map<string, string>();
  compiledFrom: SandboxFile[] | null = null;
  readonly testRuns: { input: string; spec: RunSpec }[] = [];
  private onAbort: ((error: Error) => void) | null = null;

  constructor(
    readonly spec: SandboxSpec,
    private readonly submission: ScriptedSubmission,
  ) {}

  get isUsable(): boolean {
    return this.usable;
  }

  async writeFile(path: string, content: Buffer | string): Promise<void> {
    this.refuseIfBroken();
    this.files.set(path, content.toString());
  }

  async deleteFile(path: string): Promise<void> {
    this.files.delete(path);
  }

  async runWith(files: SandboxFile[], spec: RunSpec): Promise<RunResult> {
    this.refuseIfBroken();
    for (const file of files) this.files.set(file.path, file.content.toString());
    if (spec.stdinPath === null) {
      this.compiledFrom = files;
      return ran(this.submission.compile?.(files, this) ?? {});
    }
    return this.execute(spec, 1);
  }

  async run(spec: RunSpec): Promise<RunResult> {
    this.refuseIfBroken();
    return this.execute(spec, 2);
  }

  /** A run that never ends on its own: only an abort (the watchdog) ends it. */
  hang(): Promise<never> {
    return new Promise<never>((_, reject) => (this.onAbort = reject));
  }

  /** The harness dies under the run (PID 1 gone): what the real session then throws. */
  destroy(ending: SandboxEnding): never {
    this.usable = false;
    this.endingValue = ending;
    throw new SandboxBrokenError('sandbox harness failed: the harness connection is closed');
  }

  async abort(reason: string): Promise<void> {
    this.aborted = reason;
    this.usable = false;
    this.onAbort?.(new SandboxBrokenError(reason));
  }

  async ending(): Promise<SandboxEnding> {
    return this.endingValue;
  }

  private async execute(spec: RunSpec, run: number): Promise<RunResult> {
    const input = this.files.get(spec.stdinPath!)!;
    this.testRuns.push({ input, spec });
    return ran(await this.submission.run(input, { session: this, run }));
  }

  private refuseIfBroken(): void {
    if (!this.usable) throw new SandboxBrokenError('sandbox session is closed');
  }
}

/** Hands out a new fake session per acquire; remembers what was given back. */
class FakePool {
  readonly opened: FakeSession[] = [];
  readonly released: FakeSession[] = [];
  readonly fitted: { session: FakeSession; memoryMb: number }[] = [];
  unavailable: Error | null = null;

  constructor(public submission: ScriptedSubmission) {}

  async acquire(spec: SandboxSpec): Promise<FakeSession> {
    if (this.unavailable) throw this.unavailable;
    const session = new FakeSession(spec, this.submission);
    this.opened.push(session);
    return session;
  }

  release(session: FakeSession): void {
    this.released.push(session);
  }

  async fitMemory(session: FakeSession, memoryMb: number): Promise<void> {
    this.fitted.push({ session, memoryMb });
  }
}

/** Inline data as it is; stored data is missing. */
class FakeTestData extends TestDataSource {
  async read(data: TestData): Promise<Buffer> {
    if (isStoredData(data)) throw new TestDataUnavailableError(`stored test data ${data.sha256} is missing`);
    return Buffer.from(data.text);
  }

  async *stream(data: TestData): ByteStream {
    yield* chunksOf(await this.read(data));
  }
}

/** Progress as the worker would see it, in order. */
class RecordedProgress implements JudgeProgress {
  readonly events: string[] = [];
  compileOutputs: string[] = [];

  async compiled(compileOutput: string): Promise<void> {
    this.events.push('compiled');
    this.compileOutputs.push(compileOutput);
  }

  async testJudged(test: TestResult): Promise<void> {
    this.events.push(`test ${test.name} ${test.verdict}`);
  }
}

const TESTS = [
  { input: '1 2\n', answer: '3\n' },
  { input: '5 5\n', answer: '10\n' },
  { input: '0 0\n', answer: '0\n' },
];
const LIMITS = { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 };

function job(overrides: Partial<JudgeJobPayload> = {}): JudgeJobPayload {
  return {
    submissionId: '7d5e7b4e-1d2a-4c1e-9a57-2b0c7f1e8a11',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    language: 'cpp',
    source: 'int main() { /* a + b */ }',
    kind: 'stdio',
    tests: TESTS.map((t, index) => ({ index, name: String(index + 1), input: { text: t.input }, answer: { text: t.answer } })),
    limits: LIMITS,
    checker: { type: 'tokens' },
    scoring: defaultScoringPlan(TESTS.length),
    ...overrides,
  } as JudgeJobPayload;
}

/** A correct a + b. */
function sum(input: string): string {
  const [a, b] = input.trim().split(/\s+/).map(Number);
  return `${a + b}\n`;
}

const correct: ScriptedSubmission = { run: (input) => ({ stdout: Buffer.from(sum(input)) }) };

describe('JudgeSubmission', () => {
  const sandboxConfig = loadConfig(SandboxConfig, {});
  let config: JudgingConfig;
  let pool: FakePool;
  let progress: RecordedProgress;

  function judge(submission: ScriptedSubmission, env: Record<string, string> = {}): JudgeSubmission {
    config = loadConfig(JudgingConfig, { TIME_LIMIT_RERUN_MARGIN_PCT: '10', ...env });
    pool = new FakePool(submission);
    const specs = new SandboxSpecs(sandboxConfig, config);
    const runSpecs = new RunSpecs(config, sandboxConfig);
    const testData = new FakeTestData();
    const sandboxes = pool as unknown as SandboxPool;
    const programs = {} as ProblemProgramBuilder; // no checker or interactor programs in these jobs
    const verifiers = new OutputVerifiers(testData, programs, sandboxes, specs, runSpecs);
    return new JudgeSubmission(LanguageCatalog.load(), sandboxes, specs, verifiers, programs, testData, runSpecs, new ProgramRunner(runSpecs, config), config);
  }

  beforeEach(() => {
    progress = new RecordedProgress();
  });

  describe('a correct submission', () => {
    it('compiles the source once, runs every test on its input under the limits, and gets AC with full points', async () => {
      const outcome = await judge(correct).execute(job(), progress);

      expect(outcome).toMatchObject({ verdict: 'AC', score: 100, maxScore: 100, message: null, compileOutput: '' });
      expect(outcome.tests.map((t) => [t.name, t.verdict, t.score])).toEqual([['1', 'AC', 1], ['2', 'AC', 1], ['3', 'AC', 1]]);
      const [session] = pool.opened;
      expect(pool.opened).toHaveLength(1);
      expect(session.compiledFrom).toEqual([{ path: 'main.cpp', content: job().source }]);
      expect(session.testRuns.map((r) => r.input)).toEqual(TESTS.map((t) => t.input));
      // The harness stops a run at the limit plus the re-run margin; the wall, memory and output limits as given.
      expect(session.testRuns[0].spec).toMatchObject({ cpuTimeMs: 1100, wallTimeMs: 3000, memoryKb: 256 * 1024, stdoutMaxBytes: 64 * 1024 });
    });

    it('reports the compilation, then each test as it is judged, in order', async () => {
      await judge({ ...correct, compile: () => ({ stderr: Buffer.from('main.cpp:1: warning: unused variable\n') }) }).execute(job(), progress);
      expect(progress.events).toEqual(['compiled', 'test 1 AC', 'test 2 AC', 'test 3 AC']);
      expect(progress.compileOutputs).toEqual(['main.cpp:1: warning: unused variable\n']);
    });

    it('keeps what the program measured: CPU and wall time in ms, peak memory, output previews', async () => {
      const outcome = await judge({ run: (input) => ({ stdout: Buffer.from(sum(input)), stderr: Buffer.from('debug'), cpuTimeUs: 12_500, wallTimeUs: 20_000, maxRssKb: 3_210 }) }).execute(job(), progress);
      expect(outcome.tests[0]).toMatchObject({ cpuTimeMs: 12.5, cpuTimeMsRuns: [12.5], wallTimeMs: 20, memoryKb: 3_210, exitCode: 0, signal: null, stdout: '3\n', stderr: 'debug' });
    });

    it('shrinks the sandbox to what the runs need once the compiler is done', async () => {
      await judge(correct).execute(job(), progress);
      const [session] = pool.opened;
      expect(pool.fitted).toEqual([{ session, memoryMb: 256 + 128 + 64 + 64 + 64 }]);
      // Acquired big enough for the compiler (COMPILE_MEMORY_MB), which the runs do not need.
      expect(session.spec.memoryMb).toBe(1024 + 128 + 64 + 64 + 64);
    });

    it('gives the sandbox back once, after judging', async () => {
      await judge(correct).execute(job(), progress);
      expect(pool.released).toEqual(pool.opened);
    });
  });

  describe('wrong answers', () => {
    /** Right except on the second test. */
    const wrongOnSecond: ScriptedSubmission = { run: (input) => ({ stdout: Buffer.from(input === TESTS[1].input ? '11\n' : sum(input)) }) };

    it('WA on one test: with inline tests (all run) the following tests are still judged, and the points are shared', async () => {
      const outcome = await judge(wrongOnSecond).execute(job(), progress);
      expect(outcome.verdict).toBe('WA');
      expect(outcome.tests.map((t) => t.verdict)).toEqual(['AC', 'WA', 'AC']);
      expect(outcome.tests[1].message).toBe('token 1: expected "10", got "11"');
      expect(outcome.score).toBeCloseTo(66.666667, 6);
      expect(progress.events).toEqual(['compiled', 'test 1 AC', 'test 2 WA', 'test 3 AC']);
    });

    it('WA with lazy judging (stopOnFirstFailure): the tests after the failure are not run', async () => {
      const scoring: ScoringPlan = { ...defaultScoringPlan(3), stopOnFirstFailure: true };
      const outcome = await judge(wrongOnSecond).execute(job({ scoring }), progress);
      expect(outcome.verdict).toBe('WA');
      expect(outcome.tests.map((t) => t.verdict)).toEqual(['AC', 'WA']);
      expect(pool.opened[0].testRuns).toHaveLength(2);
      // A test that did not run earns nothing.
      expect(outcome.score).toBeCloseTo(33.333333, 6);
    });

    it('a failed subtask: the subtasks depending on it are skipped (not run, no points), the others still run', async () => {
      const scoring: ScoringPlan = {
        stopOnFirstFailure: false,
        subtasks: [
          { name: 'small', points: 30, aggregation: 'min', tests: [0, 1], dependsOn: [] },
          { name: 'large', points: 50, aggregation: 'min', tests: [2], dependsOn: ['small'] },
        ],
      };
      const tests = [...job().tests];
      const outcome = await judge(wrongOnSecond).execute(job({ scoring, tests }), progress);
      expect(pool.opened[0].testRuns.map((r) => r.input)).toEqual([TESTS[0].input, TESTS[1].input]);
      expect(outcome).toMatchObject({ verdict: 'WA', score: 0, maxScore: 80 });
      expect(outcome.subtasks).toEqual([
        { name: 'small', points: 0, maxPoints: 30, verdict: 'WA', skipped: null, tests: [0, 1] },
        { name: 'large', points: 0, maxPoints: 50, verdict: null, skipped: 'subtask "small" it depends on failed (test 2: WA)', tests: [2] },
      ]);
    });
  });

  describe('compilation errors', () => {
    it('CE with the compiler output when the compiler exits non-zero; no test runs, no points', async () => {
      const compile = () => ({ exitCode: 1, stderr: Buffer.from("main.cpp:1:27: error: expected ';' before '}' token\n") });
      const outcome = await judge({ ...correct, compile }).execute(job(), progress);
      expect(outcome).toMatchObject({ verdict: 'CE', tests: [], score: 0, maxScore: 100, message: 'compilation failed (exit code 1)' });
      expect(outcome.compileOutput).toContain("error: expected ';' before '}' token");
      expect(outcome.subtasks).toEqual([expect.objectContaining({ name: 'all', points: 0, skipped: 'compilation failed' })]);
      expect(pool.opened[0].testRuns).toEqual([]);
      expect(progress.events).toEqual(['compiled']);
      expect(progress.compileOutputs[0]).toContain('error: expected');
      expect(pool.released).toEqual(pool.opened);
    });

    it('CE when the compiler exceeds its own limits (a compile-time bomb)', async () => {
      const outcome = await judge({ ...correct, compile: () => ({ killedBy: 'cpu', signal: constants.signals.SIGKILL, exitCode: null }) }).execute(job(), progress);
      expect(outcome).toMatchObject({ verdict: 'CE', message: `compilation exceeded its CPU time limit of ${config.COMPILE_CPU_TIME_MS} ms` });
    });
  });

  describe('time limits and the re-run of a run just over the CPU limit', () => {
    /** Test 1 takes `first` ms of CPU on its first run and `second` on its re-run; the others are quick. */
    const slowFirstTest = (first: number, second: number, killedBy: RunResult['killedBy'] = 'none'): ScriptedSubmission => ({
      run: (input, { run }) => ({
        stdout: Buffer.from(sum(input)),
        ...(input === TESTS[0].input ? { cpuTimeUs: (run === 1 ? first : second) * 1000, killedBy: run === 1 ? killedBy : 'none' } : {}),
      }),
    });

    it('runs a test that ended just over the limit once more: within the limit then, it is AC, with both runs kept', async () => {
      const outcome = await judge(slowFirstTest(1050, 900)).execute(job(), progress);
      expect(outcome.verdict).toBe('AC');
      expect(outcome.tests[0]).toMatchObject({ verdict: 'AC', cpuTimeMs: 900, cpuTimeMsRuns: [1050, 900] });
      expect(pool.opened[0].testRuns.map((r) => r.input)).toEqual([TESTS[0].input, TESTS[0].input, TESTS[1].input, TESTS[2].input]);
    });

    it('TLE when the re-run is over the limit too', async () => {
      const outcome = await judge(slowFirstTest(1050, 1080)).execute(job(), progress);
      expect(outcome.verdict).toBe('TLE');
      expect(outcome.tests[0]).toMatchObject({ verdict: 'TLE', score: 0, cpuTimeMs: 1080, cpuTimeMsRuns: [1050, 1080], message: 'CPU time limit of 1000 ms exceeded' });
      // Not lazy: the other tests still run.
      expect(outcome.tests.map((t) => t.verdict)).toEqual(['TLE', 'AC', 'AC']);
    });

    it('no re-run for a run the harness stopped at the CPU limit (plus margin): TLE at once', async () => {
      const outcome = await judge(slowFirstTest(1100, 0, 'cpu')).execute(job(), progress);
      expect(outcome.tests[0]).toMatchObject({ verdict: 'TLE', cpuTimeMsRuns: [1100] });
      expect(pool.opened[0].testRuns).toHaveLength(3);
    });

    it('no re-run with TIME_LIMIT_RERUN_MARGIN_PCT=0, and the harness holds the run to the limit itself', async () => {
      const outcome = await judge(slowFirstTest(1001, 900), { TIME_LIMIT_RERUN_MARGIN_PCT: '0' }).execute(job(), progress);
      expect(outcome.tests[0]).toMatchObject({ verdict: 'TLE', cpuTimeMsRuns: [1001] });
      expect(pool.opened[0].testRuns[0].spec.cpuTimeMs).toBe(1000);
    });

    it('no re-run for a run within the limit', async () => {
      await judge(slowFirstTest(1000, 0)).execute(job(), progress);
      expect(pool.opened[0].testRuns).toHaveLength(3);
    });
  });

  describe('how a run ended decides its verdict before its output does', () => {
    const { SIGKILL, SIGSEGV, SIGABRT } = constants.signals;
    const limitKb = LIMITS.memoryMb * 1024;
    it.each<[string, Partial<RunResult>, TestResult['verdict'], string | RegExp, string | null]>([
      ['stopped at the wall limit', { killedBy: 'wall', signal: SIGKILL, exitCode: null }, 'TLE', 'wall time limit of 3000 ms exceeded (the program was waiting, not computing)', 'SIGKILL'],
      ['stopped at the memory limit', { killedBy: 'memory', signal: SIGKILL, exitCode: null, maxRssKb: limitKb + 10 }, 'MLE', /^memory limit of 256\.0 MB exceeded \(peak 256\.0 MB\)$/, 'SIGKILL'],
      ['killed by the OOM killer near its limit', { signal: SIGKILL, exitCode: null, maxRssKb: limitKb - 100 }, 'MLE', /^memory limit of 256\.0 MB exceeded/, 'SIGKILL'],
      ["the runtime's own out-of-memory failure", { signal: SIGABRT, exitCode: null, stderr: Buffer.from("terminate called after throwing an instance of 'std::bad_alloc'") }, 'MLE', /the runtime reported "std::bad_alloc"/, 'SIGABRT'],
      ['stopped at the output limit', { killedBy: 'output', signal: SIGKILL, exitCode: null }, 'OLE', 'output limit exceeded', 'SIGKILL'],
      ['a crash', { signal: SIGSEGV, exitCode: null }, 'RE', 'killed by signal SIGSEGV', 'SIGSEGV'],
      ['a non-zero exit', { exitCode: 3 }, 'RE', 'exit code 3', null],
    ])('%s', async (_what, measured, verdict, message, signal) => {
      // The right answer on stdout: the ending decides, not the output.
      const outcome = await judge({ run: (input) => ({ stdout: Buffer.from(sum(input)), ...(input === TESTS[1].input ? measured : {}) }) }).execute(job(), progress);
      expect(outcome.verdict).toBe(verdict);
      expect(outcome.tests.map((t) => t.verdict)).toEqual(['AC', verdict, 'AC']);
      expect(outcome.tests[1]).toMatchObject({ verdict, score: 0, signal, exitCode: measured.exitCode === undefined ? 0 : measured.exitCode });
      if (typeof message === 'string') expect(outcome.tests[1].message).toBe(message);
      else expect(outcome.tests[1].message).toMatch(message);
    });
  });

  describe('what it cannot judge', () => {
    it('throws UnjudgeableSubmissionError for a language not in the catalog, before taking a sandbox', async () => {
      await expect(judge(correct).execute(job({ language: 'cobol' }), progress)).rejects.toThrow(new UnjudgeableSubmissionError('language "cobol" is not in this worker\'s catalog'));
      expect(pool.opened).toEqual([]);
    });

    it('throws UnjudgeableSubmissionError for an invalid scoring plan, before taking a sandbox', async () => {
      const scoring: ScoringPlan = { stopOnFirstFailure: false, subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: [0, 1], dependsOn: [] }] };
      await expect(judge(correct).execute(job({ scoring }), progress)).rejects.toThrow('invalid scoring plan: 1 tests belong to no subtask');
      expect(pool.opened).toEqual([]);
    });

    it('lets a sandbox that cannot be had fail the judging (for the job to retry)', async () => {
      const judging = judge(correct);
      pool.unavailable = new SandboxUnavailableError('cannot create sandbox from image verdict/cpp:latest: connect ENOENT');
      await expect(judging.execute(job(), progress)).rejects.toThrow(SandboxUnavailableError);
      expect(pool.released).toEqual([]);
    });

    it('gives the sandbox back when judging fails half-way (test data missing)', async () => {
      const tests = job().tests.map((t, i) => (i === 1 ? { ...t, input: { sha256: 'a'.repeat(64), bytes: 4 } } : t));
      await expect(judge(correct).execute(job({ tests }), progress)).rejects.toThrow(TestDataUnavailableError);
      expect(pool.opened).toHaveLength(1);
      expect(pool.released).toEqual(pool.opened);
    });

    it.each<[string, SandboxEnding]>([
      ['hung or broke the protocol', { kind: 'running' }],
      ['was removed from under it (Docker, an operator)', { kind: 'gone' }],
    ])('a harness that %s is the judge\'s failure (SandboxBrokenError), not a verdict; the sandbox is given back', async (_what, ending) => {
      const judging = judge({ run: (input, { session }) => (input === TESTS[1].input ? session.destroy(ending) : { stdout: Buffer.from(sum(input)) }) });
      await expect(judging.execute(job(), progress)).rejects.toThrow(SandboxBrokenError);
      expect(pool.opened).toHaveLength(1);
      expect(pool.released).toEqual(pool.opened);
    });
  });

  describe('a submission that destroys its sandbox', () => {
    const oom: SandboxEnding = { kind: 'exited', exitCode: 137, oomKilled: true };

    it('is judged once more in a fresh sandbox: a sandbox that died once for another reason does not decide', async () => {
      const outcome = await judge({
        run: (input, { session }) => (input === TESTS[1].input && session === pool.opened[0] ? session.destroy(oom) : { stdout: Buffer.from(sum(input)) }),
      }).execute(job(), progress);
      expect(outcome.verdict).toBe('AC');
      expect(outcome.tests.map((t) => t.verdict)).toEqual(['AC', 'AC', 'AC']);
      expect(pool.opened).toHaveLength(2);
      expect(pool.released).toEqual(pool.opened);
      // The second try compiles again in its own sandbox.
      expect(pool.opened[1].compiledFrom).not.toBeNull();
    });

    it('MLE on the test when it exhausts the sandbox\'s memory both times (the OOM killer ended the harness)', async () => {
      const outcome = await judge({ run: (input, { session }) => (input === TESTS[1].input ? session.destroy(oom) : { stdout: Buffer.from(sum(input)) }) }).execute(job(), progress);
      expect(pool.opened).toHaveLength(2);
      expect(pool.released).toEqual(pool.opened);
      expect(outcome.verdict).toBe('MLE');
      expect(outcome.message).toMatch(/out-of-memory killer ended the judge's harness .* on test 2$/);
      expect(outcome.tests.map((t) => [t.name, t.verdict])).toEqual([['1', 'AC'], ['2', 'MLE']]);
      expect(outcome.tests[1].message).toMatch(/^the submission exhausted its sandbox's memory/);
    });

    it('RE when the harness ended otherwise', async () => {
      const outcome = await judge({
        run: (input, { session }) => (input === TESTS[0].input ? session.destroy({ kind: 'exited', exitCode: 1, oomKilled: false }) : { stdout: Buffer.from(sum(input)) }),
      }).execute(job(), progress);
      expect(outcome.verdict).toBe('RE');
      expect(outcome.message).toBe("the submission destroyed its sandbox: the judge's harness ended (exit code 1) on test 1");
    });

    it('CE when it happens while compiling (twice)', async () => {
      const outcome = await judge({ ...correct, compile: (_files, session) => session.destroy(oom) }).execute(job(), progress);
      expect(pool.opened).toHaveLength(2);
      expect(outcome).toMatchObject({ verdict: 'CE', tests: [], score: 0 });
      expect(outcome.message).toMatch(/while it compiled$/);
    });
  });

  describe('the watchdog', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('stops a judge that outlives the budget (compilation, each test\'s wall limit twice, margins): the sandbox is destroyed and given back', async () => {
      const judging = judge({ run: (_input, { session }) => session.hang() });
      const one = job({ tests: job().tests.slice(0, 1), scoring: defaultScoringPlan(1) });
      const result = judging.execute(one, progress);
      result.catch(() => undefined);
      const budgetMs = config.COMPILE_WALL_TIME_MS + (LIMITS.wallTimeMs * 2 + config.JUDGE_WATCHDOG_PER_TEST_MS) + config.JUDGE_WATCHDOG_MARGIN_MS;
      await jest.advanceTimersByTimeAsync(budgetMs - 1);
      expect(pool.opened[0].aborted).toBeNull();
      await jest.advanceTimersByTimeAsync(1);
      await expect(result).rejects.toThrow(JudgingBudgetExceededError);
      expect(pool.opened[0].aborted).toBe("stopped by the judge's watchdog");
      expect(pool.released).toEqual(pool.opened);
      // The judge's failure, not the submission's: no second sandbox.
      expect(pool.opened).toHaveLength(1);
    });
  });
});
