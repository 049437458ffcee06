import { Injectable } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import { CHECKERS } from '@verdict/checkers';
import { JudgeJobPayload, OUTPUT_PREVIEW_BYTES, TestCaseDto, TestResult, overallVerdict } from '@verdict/contracts';
import { LanguageCatalog, LanguageDefinition } from '@verdict/languages';
import { RunResult, RunSpec, SANDBOX_BASE_ENV, SandboxPool, SandboxSession, SandboxSpec } from '@verdict/sandbox';
import { randomBytes } from 'node:crypto';
import { classifyRun, signalName } from './run-classification';
import { JudgeOutcome, JudgeProgress } from './judge-progress';

/** The judge cannot judge this job at all (e.g. its language left the catalog); retrying will not help. */
export class UnjudgeableSubmissionError extends Error {}

const LABEL_SUBMISSION = 'org.verdict.submission';

/**
 * Judges one submission: one fresh sandbox (pre-started by the pool when it can be), the source
 * written into it, compiled once, then every test run in order through the harness and checked.
 * Verdicts about the code are results, never exceptions; exceptions mean the judge itself could not
 * do its work.
 */
@Injectable()
export class JudgeSubmission {
  constructor(
    private readonly languages: LanguageCatalog,
    private readonly sandboxes: SandboxPool,
    private readonly config: SandboxConfig,
  ) {}

  async execute(job: JudgeJobPayload, progress: JudgeProgress): Promise<JudgeOutcome> {
    const language = this.languages.get(job.language);
    if (!language) throw new UnjudgeableSubmissionError(`language "${job.language}" is not in this worker's catalog`);

    const session = await this.sandboxes.acquire({
      ...this.sandboxSpec(language, job.limits.memoryMb),
      labels: { [LABEL_SUBMISSION]: job.submissionId },
    });
    try {
      await session.writeFile(language.sourceFile, job.source);
      let compileOutput: string | null = null;
      if (language.compile) {
        const compile = await session.run(this.compileSpec(language));
        compileOutput = this.compileOutputOf(compile);
        const failure = this.compileFailure(compile);
        await progress.compiled(compileOutput);
        if (failure) return { verdict: 'CE', tests: [], compileOutput, message: failure };
      }
      const tests: TestResult[] = [];
      for (const [index, test] of job.tests.entries()) {
        const result = await this.judgeTest(session, language, job, index, test);
        tests.push(result);
        await progress.testJudged(result);
      }
      return { verdict: overallVerdict(tests.map((t) => t.verdict)), tests, compileOutput, message: null };
    } finally {
      await session.close();
    }
  }

  private async judgeTest(
    session: SandboxSession,
    language: LanguageDefinition,
    job: JudgeJobPayload,
    index: number,
    test: TestCaseDto,
  ): Promise<TestResult> {
    // An unguessable name, so a program cannot plant something at the path the next input goes to.
    const inputPath = `.input-${randomBytes(8).toString('hex')}`;
    await session.writeFile(inputPath, test.input);
    const memoryKb = job.limits.memoryMb * 1024;
    const spec: RunSpec = {
      argv: language.run.command,
      env: { ...SANDBOX_BASE_ENV, ...language.run.env },
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
    let run = await session.run(spec);
    const cpuTimeMsRuns = [run.cpuTimeUs / 1000];
    if (this.justOverCpuLimit(run, job.limits.cpuTimeMs)) {
      run = await session.run(spec);
      cpuTimeMsRuns.push(run.cpuTimeUs / 1000);
    }
    await session.deleteFile(inputPath);

    const ended = classifyRun(run, { ...job.limits, memoryKb });
    let verdict: TestResult['verdict'];
    let message = ended.message;
    if (ended.verdict) {
      verdict = ended.verdict;
    } else {
      const checked = CHECKERS[job.checker.type].check(test.expectedOutput, run.stdout.toString('utf8'), job.checker);
      verdict = checked.accepted ? 'AC' : 'WA';
      message = checked.message;
    }
    return {
      index,
      verdict,
      cpuTimeMs: run.cpuTimeUs / 1000,
      cpuTimeMsRuns,
      wallTimeMs: run.wallTimeUs / 1000,
      memoryKb: run.maxRssKb,
      exitCode: run.exitCode,
      signal: signalName(run.signal),
      stdout: run.stdout.subarray(0, OUTPUT_PREVIEW_BYTES).toString('utf8'),
      stdoutTruncated: run.stdoutTruncated || run.stdout.length > OUTPUT_PREVIEW_BYTES,
      stderr: run.stderr.subarray(0, OUTPUT_PREVIEW_BYTES).toString('utf8'),
      stderrTruncated: run.stderrTruncated || run.stderr.length > OUTPUT_PREVIEW_BYTES,
      message,
    };
  }

  /** Finished (not stopped by the harness) over the limit, but within the margin: worth a second run. */
  private justOverCpuLimit(run: RunResult, cpuTimeMs: number): boolean {
    return this.config.TIME_LIMIT_RERUN_MARGIN_PCT > 0 && run.killedBy === 'none' && run.cpuTimeUs / 1000 > cpuTimeMs;
  }

  private compileSpec(language: LanguageDefinition): RunSpec {
    const c = this.config;
    return {
      argv: language.compile!.command,
      env: { ...SANDBOX_BASE_ENV, ...language.compile!.env },
      stdinPath: null,
      cpuTimeMs: c.COMPILE_CPU_TIME_MS,
      wallTimeMs: c.COMPILE_WALL_TIME_MS,
      memoryKb: c.COMPILE_MEMORY_MB * 1024,
      stackKb: 0,
      fsizeKb: c.SANDBOX_FSIZE_MB * 1024,
      nofile: c.SANDBOX_NOFILE,
      stdoutMaxBytes: c.COMPILE_OUTPUT_KB * 1024,
      stderrMaxBytes: c.COMPILE_OUTPUT_KB * 1024,
    };
  }

  /** Compilers write diagnostics to either stream; a person wants them together. */
  private compileOutputOf(run: RunResult): string {
    const text = Buffer.concat([run.stdout, run.stderr]).toString('utf8');
    const cut = run.stdoutTruncated || run.stderrTruncated;
    return cut ? `${text}\n[compiler output truncated at ${this.config.COMPILE_OUTPUT_KB} KiB]` : text;
  }

  private compileFailure(run: RunResult): string | null {
    const c = this.config;
    switch (run.killedBy) {
      case 'cpu':
        return `compilation exceeded its CPU time limit of ${c.COMPILE_CPU_TIME_MS} ms`;
      case 'wall':
        return `compilation exceeded its wall time limit of ${c.COMPILE_WALL_TIME_MS} ms`;
      case 'memory':
        return `compilation exceeded its memory limit of ${c.COMPILE_MEMORY_MB} MB`;
      case 'output':
        return `compilation produced more than ${c.COMPILE_OUTPUT_KB} KiB of output`;
    }
    if (run.signal !== null) return `compiler killed by signal ${signalName(run.signal)}`;
    if (run.exitCode !== 0) return `compilation failed (exit code ${run.exitCode})`;
    return null;
  }

  /**
   * The sandbox a submission in `language` with this memory limit needs. The container's cgroup limit
   * is only a backstop (the harness enforces each run's limit): it must fit the larger of compile and
   * run, plus the tmpfs pages, which the memory cgroup also counts.
   */
  sandboxSpec(language: LanguageDefinition, memoryLimitMb: number): SandboxSpec {
    const c = this.config;
    const largest = Math.max(memoryLimitMb, language.compile ? c.COMPILE_MEMORY_MB : 0);
    return { image: language.image, runtime: language.runtime, memoryMb: largest + c.SANDBOX_WORK_MB + c.SANDBOX_TMP_MB + c.SANDBOX_HEADROOM_MB };
  }
}
