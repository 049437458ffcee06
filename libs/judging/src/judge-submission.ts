import { Injectable, Logger } from '@nestjs/common';
import { JudgingConfig } from '@verdict/config';
import { JudgeJobPayload, JudgeTestDto, OUTPUT_PREVIEW_BYTES, TestResult, isProgramChecker } from '@verdict/contracts';
import { InvalidFunctionSignatureError, UnsupportedFunctionLanguageError, driverDiagnostic, functionProgram } from '@verdict/function-problems';
import { LanguageCatalog, LanguageDefinition, ProgramLayout } from '@verdict/languages';
import {
  RunResult,
  SandboxBrokenError,
  SandboxEnding,
  SandboxFile,
  SandboxPool,
  SandboxSession,
  absoluteSandboxPath,
} from '@verdict/sandbox';
import { inSpan } from '@verdict/telemetry';
import { randomBytes } from 'node:crypto';
import { classifyInteraction } from './interaction-classification';
import { JudgeOutcome, JudgeProgress } from './judge-progress';
import { JudgeWatchdog, JudgingBudgetExceededError } from './judge-watchdog';
import { OutputVerifier, OutputVerifiers } from './output-verifiers';
import { BuiltProgram, ProblemProgramBuilder, commandForArtifact } from './problem-program-builder';
import { stdioProgram } from './program-files';
import { ProgramRunner } from './program-runner';
import { classifyRun, signalName } from './run-classification';
import { RunSpecs } from './run-specs';
import { SandboxSpecs } from './sandbox-specs';
import { InvalidScoringPlanError, SubmissionScorer } from './submission-scorer';
import { TestDataSource } from './test-data-source';
import { UnjudgeableSubmissionError } from './unjudgeable-submission.error';

const LABEL_SUBMISSION = 'org.verdict.submission';
/** Where an interactive problem's interactor is put in the submission's sandbox (the private area). */
const INTERACTOR_PATH = '@interactor';
/** Where each test's input goes (the private area), replacing the previous test's. */
const TEST_INPUT_PATH = '@input';

/** What one submission is judged with, once prepared. */
interface Judging {
  job: JudgeJobPayload;
  language: LanguageDefinition;
  program: ProgramLayout;
  session: SandboxSession;
  verifier: OutputVerifier | null;
  interactor: BuiltProgram | null;
  watchdog: JudgeWatchdog;
  scorer: SubmissionScorer;
  /** The test being judged, if any: where a destroyed sandbox is charged. */
  current: JudgeTestDto | null;
  compileOutput: string | null;
}

/**
 * Tries in fresh sandboxes before "the submission destroyed its sandbox" is its verdict. One more try
 * tells a submission that does it every time from a sandbox that died for another reason.
 */
const SANDBOX_DESTRUCTIONS_TOLERATED = 2;

/**
 * The submission's sandbox ended under it while its code ran (the harness, PID 1, is gone): the
 * kernel's OOM killer, say, after the program filled the sandbox's memory with something no process
 * of its own holds. A verdict about the submission, once it happened SANDBOX_DESTRUCTIONS_TOLERATED times.
 */
class SandboxDestroyedBySubmission extends Error {
  readonly outcome: JudgeOutcome;

  constructor({ scorer, current, compileOutput }: Judging, ending: Extract<SandboxEnding, { kind: 'exited' }>) {
    const cause = ending.oomKilled
      ? "the submission exhausted its sandbox's memory, and the kernel's out-of-memory killer ended the judge's harness (memory no process holds, such as System V shared memory, counts)"
      : `the submission destroyed its sandbox: the judge's harness ended (exit code ${ending.exitCode})`;
    super(current ? `${cause} on test ${current.name}` : `${cause} while it compiled`);
    const verdict = ending.oomKilled ? 'MLE' : 'RE';
    if (!current) {
      const { score, maxScore, subtasks } = scorer.summary();
      this.outcome = { verdict: 'CE', tests: [], compileOutput, message: this.message, score, maxScore, subtasks: subtasks.map((s) => ({ ...s, skipped: 'compilation failed' })) };
      return;
    }
    const failed: TestResult = {
      index: current.index,
      name: current.name,
      verdict,
      score: 0,
      message: cause,
      cpuTimeMs: 0,
      cpuTimeMsRuns: [0],
      wallTimeMs: 0,
      memoryKb: 0,
      exitCode: null,
      signal: null,
      stdout: '',
      stdoutTruncated: false,
      stderr: '',
      stderrTruncated: false,
    };
    scorer.record(failed);
    const summary = scorer.summary();
    this.outcome = { ...summary, tests: scorer.recorded(), compileOutput, message: this.message };
  }
}

/**
 * Judges one submission: one sandbox (pre-started by the pool when it can be), the program written
 * into it and compiled once, then the tests in order, each run through the harness (against the
 * problem's interactor for interactive problems), checked and scored; tests that cannot change the
 * outcome (lazy judging, a failed dependency) are skipped. Verdicts about the code are results,
 * never exceptions; exceptions mean the judge itself could not do its work.
 */
@Injectable()
export class JudgeSubmission {
  private readonly logger = new Logger(JudgeSubmission.name);

  constructor(
    private readonly languages: LanguageCatalog,
    private readonly sandboxes: SandboxPool,
    private readonly specs: SandboxSpecs,
    private readonly verifiers: OutputVerifiers,
    private readonly programs: ProblemProgramBuilder,
    private readonly testData: TestDataSource,
    private readonly runSpecs: RunSpecs,
    private readonly runner: ProgramRunner,
    private readonly config: JudgingConfig,
  ) {}

  async execute(job: JudgeJobPayload, progress: JudgeProgress): Promise<JudgeOutcome> {
    const language = this.languages.get(job.language);
    if (!language) throw new UnjudgeableSubmissionError(`language "${job.language}" is not in this worker's catalog`);
    this.scorerFor(job); // an invalid plan fails before any sandbox is taken
    const program = this.programFor(job, language);
    const interactor = job.kind === 'interactive' ? await this.programs.build(job.interactor!, 'interactor') : null;
    // A submission that destroyed its sandbox is judged once more in a fresh one before that is its
    // verdict: only such tries count, so a crash of the worker or of Docker never makes a good
    // submission look like one.
    for (let destroyed = 1; ; destroyed++) {
      try {
        return await this.judgeInSandbox(job, language, program, interactor, progress);
      } catch (error) {
        if (!(error instanceof SandboxDestroyedBySubmission)) throw error;
        if (destroyed >= SANDBOX_DESTRUCTIONS_TOLERATED) return error.outcome;
        this.logger.warn({ submissionId: job.submissionId, destroyed }, `the submission destroyed its sandbox; judging it once more in a fresh one: ${error.message}`);
      }
    }
  }

  /** One try: a sandbox, the program compiled in it, its tests; under the watchdog. */
  private async judgeInSandbox(
    job: JudgeJobPayload,
    language: LanguageDefinition,
    program: ProgramLayout,
    interactor: BuiltProgram | null,
    progress: JudgeProgress,
  ): Promise<JudgeOutcome> {
    const scorer = this.scorerFor(job);
    const verifier = interactor ? null : await this.verifiers.open(job);
    const peerMb = interactor ? this.config.INTERACTOR_MEMORY_MB : 0;
    const session = await inSpan('sandbox acquire', {}, () => this.sandboxes.acquire({ ...this.specs.forSubmission(language, job.limits.memoryMb, peerMb), labels: { [LABEL_SUBMISSION]: job.submissionId } }))
      .catch((error: unknown) => {
        verifier?.close();
        throw error;
      });
    const watchdog = new JudgeWatchdog(this.budgetMs(job, program, interactor !== null), () => {
      void session.abort('stopped by the judge\'s watchdog');
      verifier?.abort();
    });
    const judging: Judging = { job, language, program, session, verifier, interactor, watchdog, scorer, current: null, compileOutput: null };
    watchdog.start();
    try {
      return await watchdog.guard(this.judgeProgram(judging, progress));
    } catch (error) {
      if (error instanceof SandboxBrokenError && !watchdog.expired && !session.isUsable) {
        const ending = await session.ending().catch(() => null);
        if (ending?.kind === 'exited') throw new SandboxDestroyedBySubmission(judging, ending);
      }
      throw error;
    } finally {
      watchdog.stop();
      this.sandboxes.release(session);
      verifier?.close();
    }
  }

  private async judgeProgram(judging: Judging, progress: JudgeProgress): Promise<JudgeOutcome> {
    const { job, program, session, verifier, interactor, watchdog, scorer } = judging;
    if (!program.compile) for (const file of program.files) await session.writeFile(file.path, file.content);
    else {
      const { output: compileOutput, failure } = await inSpan('compile', { attributes: { 'verdict.language': job.language } }, async (span) => {
        const compiled = await this.runner.compile(session, program.files, program.compile!, 'submission');
        span.setAttribute('verdict.compiled', compiled.failure === null);
        return compiled;
      });
      judging.compileOutput = compileOutput;
      await progress.compiled(compileOutput);
      if (failure) {
        const { score, maxScore, subtasks } = scorer.summary();
        return { verdict: 'CE', tests: [], compileOutput, message: failure, score, maxScore, subtasks: subtasks.map((s) => ({ ...s, skipped: 'compilation failed' })) };
      }
      // The compiler's allowance is no longer needed: the backstop shrinks to the runs'.
      await this.sandboxes.fitMemory(session, this.specs.forRuns(job.limits.memoryMb, interactor ? this.config.INTERACTOR_MEMORY_MB : 0));
    }
    // A checker's sandbox comes from the pool: waiting for one is not judging.
    if (verifier) await watchdog.excluding(() => verifier.prepare());
    // The interactor's group (10002) may run it; the submission's uid may neither run nor read it.
    if (interactor) await session.writeFile(INTERACTOR_PATH, interactor.artifact, 0o750);
    const tests: TestResult[] = [];
    for (const test of job.tests) {
      if (watchdog.expired) throw new JudgingBudgetExceededError('stopped by the judge\'s watchdog');
      if (scorer.skipReason(test.index)) continue;
      judging.current = test;
      const result = await inSpan('run test', { attributes: { 'verdict.test.index': test.index, 'verdict.test.name': test.name } }, async (span) => {
        const judged = interactor ? await this.judgeInteraction(judging, interactor, test) : await this.judgeTest(judging, test);
        span.setAttributes({ 'verdict.test.verdict': judged.verdict, 'verdict.test.cpu_time_ms': judged.cpuTimeMs, 'verdict.test.wall_time_ms': judged.wallTimeMs, 'verdict.test.memory_kb': judged.memoryKb });
        return judged;
      });
      judging.current = null;
      tests.push(result);
      scorer.record(result);
      await progress.testJudged(result);
    }
    const { verdict, score, maxScore, subtasks } = scorer.summary();
    return { verdict, tests, compileOutput: judging.compileOutput, message: null, score, maxScore, subtasks };
  }

  /**
   * What judging one submission may take, sandbox waits aside: its compilation, each test's run at
   * its wall limit (twice where a run just over the CPU limit is repeated), the checker's or the
   * interactor's run beside it, and a margin for the exchanges and the test data.
   */
  private budgetMs(job: JudgeJobPayload, program: ProgramLayout, interactive: boolean): number {
    const c = this.config;
    const runs = c.TIME_LIMIT_RERUN_MARGIN_PCT > 0 ? 2 : 1;
    const check = interactive ? c.INTERACTOR_WALL_GRACE_MS : isProgramChecker(job.checker) ? c.CHECKER_WALL_TIME_MS : 0;
    const perTest = job.limits.wallTimeMs * runs + check + c.JUDGE_WATCHDOG_PER_TEST_MS;
    return (program.compile ? c.COMPILE_WALL_TIME_MS : 0) + job.tests.length * perTest + c.JUDGE_WATCHDOG_MARGIN_MS;
  }

  private scorerFor(job: JudgeJobPayload): SubmissionScorer {
    try {
      return new SubmissionScorer(job.scoring, job.tests.length);
    } catch (error) {
      if (error instanceof InvalidScoringPlanError) throw new UnjudgeableSubmissionError(`invalid scoring plan: ${error.message}`);
      throw error;
    }
  }

  private programFor(job: JudgeJobPayload, language: LanguageDefinition): ProgramLayout {
    if (job.kind !== 'function') return stdioProgram(job, language);
    if (job.checker.type !== 'json') throw new UnjudgeableSubmissionError(`a function problem's results are compared as JSON, not with the ${job.checker.type} checker`);
    try {
      return functionProgram(job.language, job.function!, job.source);
    } catch (error) {
      if (error instanceof InvalidFunctionSignatureError || error instanceof UnsupportedFunctionLanguageError) throw new UnjudgeableSubmissionError(error.message);
      throw error;
    }
  }

  /** A stdin/stdout or function test: the program reads the input, the verifier judges its output. */
  private async judgeTest({ job, language, program, session, verifier }: Judging, test: JudgeTestDto): Promise<TestResult> {
    // The private area: programs can neither write there (so nothing can stand in for the input, and
    // a full /work cannot keep it out) nor read it by name; each test's input replaces the last one.
    const input: SandboxFile = { path: TEST_INPUT_PATH, content: await this.testData.read(test.input), mode: 0o600 };
    const { run: measured, cpuTimeMsRuns } = await this.runner.runOnInput(session, program.run, job.limits, input);

    const ended = classifyRun(measured, { ...job.limits, memoryKb: job.limits.memoryMb * 1024 }, language.memoryErrorMarkers);
    if (ended.verdict) {
      // A function problem's driver says what went wrong in the user's terms (a wrong return type).
      const diagnostic = job.kind === 'function' && ended.verdict === 'RE' ? driverDiagnostic(measured.stderr.toString('utf8')) : null;
      return testResult(test, measured, { verdict: ended.verdict, score: 0, message: diagnostic ?? ended.message }, cpuTimeMsRuns);
    }
    return testResult(test, measured, await verifier!.verify(test, measured.stdout), cpuTimeMsRuns);
  }

  /** An interactive test: the program talks to the interactor, whose verdict decides (mostly). */
  private async judgeInteraction({ job, language, program, session }: Judging, interactor: BuiltProgram, test: JudgeTestDto): Promise<TestResult> {
    const id = randomBytes(8).toString('hex');
    const files = { input: `@interaction-${id}.in`, answer: `@interaction-${id}.ans`, output: `@interaction-${id}.out` };
    // Mode 640 in the setgid private area: the interactor's group reads them, the submission cannot.
    await session.writeFile(files.input, await this.testData.read(test.input), 0o640);
    await session.writeFile(files.answer, await this.testData.read(test.answer), 0o640);
    const argv = [...commandForArtifact(interactor, absoluteSandboxPath(INTERACTOR_PATH)), ...[files.input, files.output, files.answer].map(absoluteSandboxPath)];
    const peer = this.runSpecs.interactor(argv, interactor.run.env, job.limits.wallTimeMs);

    const ran = await session.runInteractive(this.runSpecs.submission(program.run, job.limits, null), peer);
    for (const path of Object.values(files)) await session.deleteFile(path);

    const outcome = classifyInteraction(ran.program, ran.peer, { ...job.limits, memoryKb: job.limits.memoryMb * 1024 }, language.memoryErrorMarkers);
    if ('failure' in outcome) throw new UnjudgeableSubmissionError(`${outcome.failure} on test ${test.name}`);
    return testResult(test, ran.program, outcome, [ran.program.cpuTimeUs / 1000]);
  }
}

function testResult(test: JudgeTestDto, measured: RunResult, judged: Pick<TestResult, 'verdict' | 'score' | 'message'>, cpuTimeMsRuns: number[]): TestResult {
  return {
    index: test.index,
    name: test.name,
    ...judged,
    cpuTimeMs: measured.cpuTimeUs / 1000,
    cpuTimeMsRuns,
    wallTimeMs: measured.wallTimeUs / 1000,
    memoryKb: measured.maxRssKb,
    exitCode: measured.exitCode,
    signal: signalName(measured.signal),
    stdout: measured.stdout.subarray(0, OUTPUT_PREVIEW_BYTES).toString('utf8'),
    stdoutTruncated: measured.stdoutTruncated || measured.stdout.length > OUTPUT_PREVIEW_BYTES,
    stderr: measured.stderr.subarray(0, OUTPUT_PREVIEW_BYTES).toString('utf8'),
    stderrTruncated: measured.stderrTruncated || measured.stderr.length > OUTPUT_PREVIEW_BYTES,
  };
}
