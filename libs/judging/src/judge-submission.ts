import { Injectable } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import { CHECKERS } from '@verdict/checkers';
import {
  BuiltinCheckerType,
  JudgeJobPayload,
  JudgeTestDto,
  OUTPUT_PREVIEW_BYTES,
  TestResult,
  isProgramChecker,
} from '@verdict/contracts';
import { LanguageCatalog, LanguageDefinition, expandCommand } from '@verdict/languages';
import { RunResult, RunSpec, SANDBOX_BASE_ENV, SandboxPool, SandboxSession, SandboxSpec } from '@verdict/sandbox';
import { randomBytes } from 'node:crypto';
import { compileFailure, compileOutputOf, compileRunSpec } from './compilation';
import { JudgeOutcome, JudgeProgress } from './judge-progress';
import { ProgramLayout, stdioProgram } from './program-files';
import { classifyRun, signalName } from './run-classification';
import { InvalidScoringPlanError, SubmissionScorer } from './submission-scorer';
import { TestDataSource } from './test-data-source';

/** The judge cannot judge this job at all (e.g. its language left the catalog); retrying will not help. */
export class UnjudgeableSubmissionError extends Error {}

const LABEL_SUBMISSION = 'org.verdict.submission';

/**
 * Judges one submission: one sandbox (pre-started by the pool when it can be), the program written
 * into it and compiled once, then the tests in order, each run through the harness, checked and
 * scored; tests that cannot change the outcome (lazy judging, a failed dependency) are skipped.
 * Verdicts about the code are results, never exceptions; exceptions mean the judge itself could not
 * do its work.
 */
@Injectable()
export class JudgeSubmission {
  constructor(
    private readonly languages: LanguageCatalog,
    private readonly sandboxes: SandboxPool,
    private readonly testData: TestDataSource,
    private readonly config: SandboxConfig,
  ) {}

  async execute(job: JudgeJobPayload, progress: JudgeProgress): Promise<JudgeOutcome> {
    const language = this.languages.get(job.language);
    if (!language) throw new UnjudgeableSubmissionError(`language "${job.language}" is not in this worker's catalog`);
    if (isProgramChecker(job.checker)) throw new UnjudgeableSubmissionError(`checker type ${job.checker.type} is not supported by this worker`);
    const scorer = this.scorerFor(job);
    const program = this.programFor(job, language);

    const session = await this.sandboxes.acquire({
      ...this.sandboxSpec(language, job.limits.memoryMb),
      labels: { [LABEL_SUBMISSION]: job.submissionId },
    });
    try {
      for (const file of program.files) await session.writeFile(file.path, file.content);
      let compileOutput: string | null = null;
      if (program.compile) {
        const compile = await session.run(compileRunSpec(program.compile, this.config));
        compileOutput = compileOutputOf(compile, this.config);
        const failure = compileFailure(compile, this.config);
        await progress.compiled(compileOutput);
        if (failure) {
          const { score, maxScore, subtasks } = scorer.summary();
          return { verdict: 'CE', tests: [], compileOutput, message: failure, score, maxScore, subtasks: subtasks.map((s) => ({ ...s, skipped: 'compilation failed' })) };
        }
      }
      const tests: TestResult[] = [];
      for (const test of job.tests) {
        if (scorer.skipReason(test.index)) continue;
        const result = await this.judgeTest(session, program, job, test);
        tests.push(result);
        scorer.record(result);
        await progress.testJudged(result);
      }
      const { verdict, score, maxScore, subtasks } = scorer.summary();
      return { verdict, tests, compileOutput, message: null, score, maxScore, subtasks };
    } finally {
      this.sandboxes.release(session);
    }
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
    if (job.kind !== 'stdio') throw new UnjudgeableSubmissionError(`${job.kind} problems are not supported by this worker`);
    return stdioProgram(job, language);
  }

  private async judgeTest(session: SandboxSession, program: ProgramLayout, job: JudgeJobPayload, test: JudgeTestDto): Promise<TestResult> {
    // In the private area, which programs can neither fill nor read by name; the name is fresh each
    // time, so nothing left from an earlier test can stand in for it.
    const inputPath = `@input-${randomBytes(8).toString('hex')}`;
    await session.writeFile(inputPath, await this.testData.read(test.input), 0o600);
    const memoryKb = job.limits.memoryMb * 1024;
    const run = expandCommand(program.run, { memoryMb: job.limits.memoryMb });
    const spec: RunSpec = {
      argv: run.command,
      env: { ...SANDBOX_BASE_ENV, ...run.env },
      stdinPath: inputPath,
      // The harness stops a run at the limit plus the re-run margin; classifyRun holds it to the limit.
      cpuTimeMs: Math.ceil(job.limits.cpuTimeMs * (1 + this.config.TIME_LIMIT_RERUN_MARGIN_PCT / 100)),
      wallTimeMs: job.limits.wallTimeMs,
      memoryKb,
      stackKb: this.config.SANDBOX_STACK_MB > 0 ? this.config.SANDBOX_STACK_MB * 1024 : memoryKb,
      fsizeKb: this.config.SANDBOX_FSIZE_MB * 1024,
      nofile: this.config.SANDBOX_NOFILE,
      stdoutMaxBytes: job.limits.outputKb * 1024,
      stderrMaxBytes: OUTPUT_PREVIEW_BYTES,
    };
    let measured = await session.run(spec);
    const cpuTimeMsRuns = [measured.cpuTimeUs / 1000];
    if (this.justOverCpuLimit(measured, job.limits.cpuTimeMs)) {
      measured = await session.run(spec);
      cpuTimeMsRuns.push(measured.cpuTimeUs / 1000);
    }
    await session.deleteFile(inputPath);

    const ended = classifyRun(measured, { ...job.limits, memoryKb });
    let verdict: TestResult['verdict'];
    let message = ended.message;
    if (ended.verdict) {
      verdict = ended.verdict;
    } else {
      const expected = (await this.testData.read(test.answer)).toString('utf8');
      const checked = CHECKERS[job.checker.type as BuiltinCheckerType].check(expected, measured.stdout.toString('utf8'), job.checker);
      verdict = checked.accepted ? 'AC' : 'WA';
      message = checked.message;
    }
    return {
      index: test.index,
      name: test.name,
      verdict,
      score: verdict === 'AC' ? 1 : 0,
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
      message,
    };
  }

  /** Finished (not stopped by the harness) over the limit, but within the margin: worth a second run. */
  private justOverCpuLimit(run: RunResult, cpuTimeMs: number): boolean {
    return this.config.TIME_LIMIT_RERUN_MARGIN_PCT > 0 && run.killedBy === 'none' && run.cpuTimeUs / 1000 > cpuTimeMs;
  }

  /**
   * The sandbox a submission in `language` with this memory limit needs. The container's cgroup limit
   * is only a backstop (the harness enforces each run's limit): it must fit the larger of compile and
   * run, plus the tmpfs pages, which the memory cgroup also counts.
   */
  sandboxSpec(language: LanguageDefinition, memoryLimitMb: number): SandboxSpec {
    const c = this.config;
    const largest = Math.max(memoryLimitMb, language.compile ? c.COMPILE_MEMORY_MB : 0);
    return {
      image: language.image,
      runtime: language.runtime,
      memoryMb: largest + c.SANDBOX_WORK_MB + c.SANDBOX_TMP_MB + c.SANDBOX_INPUT_MB + c.SANDBOX_HEADROOM_MB,
    };
  }
}
