import { Injectable } from '@nestjs/common';
import { SubmissionPolicyConfig, WorkerConfig } from '@verdict/config';
import { JudgeJobPayload, Limits, defaultScoringPlan } from '@verdict/contracts';
import { LanguageDefinition, applyLanguageLimits } from '@verdict/languages';
import { RunResult, SandboxLauncher } from '@verdict/sandbox';
import { randomBytes, randomUUID } from 'node:crypto';
import { ProgramRunner } from './program-runner';
import { RunSpecs } from './run-specs';
import { JudgeOutcome, JudgeProgress } from './judge-progress';
import { JudgeSubmission } from './judge-submission';
import { SandboxSpecs } from './sandbox-specs';
import { signalName } from './run-classification';

/** A language of this worker's catalog cannot judge: its self-test or its version command failed. */
export class LanguageSelfTestError extends Error {}

/** How much of a program's output a failure message quotes, per stream. */
const EXCERPT_CHARS = 800;

const IGNORE_PROGRESS: JudgeProgress = { compiled: async () => undefined, testJudged: async () => undefined };

/**
 * The judge job of a language's self-test: its echo program with one inline test, checked byte for
 * byte, under the limits a submission with the default limits would get in that language.
 */
export function selfTestJob(language: LanguageDefinition, defaultLimits: Limits): JudgeJobPayload {
  return {
    submissionId: randomUUID(),
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    language: language.id,
    source: language.selfTest.source,
    lane: 'live',
    kind: 'stdio',
    tests: [{ index: 0, name: 'self-test', input: { text: language.selfTest.input }, answer: { text: language.selfTest.expectedOutput } }],
    limits: applyLanguageLimits(defaultLimits, language),
    checker: { type: 'exact' },
    scoring: defaultScoringPlan(1),
  };
}

/** What went wrong in a self-test, for the person who must fix the image or the catalog; null for a pass. */
export function selfTestFailure(outcome: JudgeOutcome): string | null {
  if (outcome.verdict === 'AC') return null;
  if (outcome.verdict === 'CE') return `CE: ${outcome.message ?? 'compilation failed'}${quoted('compiler output', outcome.compileOutput)}`;
  const test = outcome.tests[0];
  if (!test) return `${outcome.verdict}: ${outcome.message ?? 'no test ran'}`;
  return `${test.verdict}: ${test.message}${quoted('stdout', test.stdout)}${quoted('stderr', test.stderr)}`;
}

/** The version a versionCommand printed: its first non-empty line (stdout, else stderr), trimmed. */
export function versionFromOutput(stdout: string, stderr: string): string | null {
  for (const text of [stdout, stderr]) {
    const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    if (line) return line;
  }
  return null;
}

/** How a command failed to finish normally, or null when it exited 0. */
export function commandFailure(run: Pick<RunResult, 'killedBy' | 'signal' | 'exitCode'>): string | null {
  if (run.killedBy !== 'none') return `was stopped at its ${run.killedBy} limit`;
  if (run.signal !== null) return `was killed by signal ${signalName(run.signal)}`;
  if (run.exitCode !== 0) return `exited with code ${run.exitCode}`;
  return null;
}

function quoted(what: string, text: string | null): string {
  const trimmed = (text ?? '').trim();
  if (!trimmed) return '';
  const cut = trimmed.length > EXCERPT_CHARS ? `${trimmed.slice(0, EXCERPT_CHARS)} [...]` : trimmed;
  return `\n      ${what}:\n${cut.replace(/^/gm, '        ')}`;
}

/**
 * Catches a broken runtime image or catalog entry before it judges anyone (as DMOJ's executors do
 * at start): every language's self-test goes through the real judging path (sandbox, compile, run,
 * checker) and must be AC, and its versionCommand must print a version, which is what the language
 * really is. WORKER_CONCURRENCY languages at a time, as many as the worker judges at once.
 */
@Injectable()
export class LanguageSelfTest {
  constructor(
    private readonly judge: JudgeSubmission,
    private readonly specs: SandboxSpecs,
    private readonly launcher: SandboxLauncher,
    private readonly runSpecs: RunSpecs,
    private readonly programs: ProgramRunner,
    private readonly policy: SubmissionPolicyConfig,
    private readonly worker: WorkerConfig,
  ) {}

  /**
   * The version each language's image reports, by language id. Throws LanguageSelfTestError naming
   * every language that failed and how.
   */
  async execute(languages: LanguageDefinition[]): Promise<Map<string, string>> {
    const versions = new Map<string, string>();
    const failures: string[] = [];
    await forEachConcurrently(languages, this.worker.WORKER_CONCURRENCY, async (language) => {
      // Two sandboxes side by side: JudgeSubmission owns (and removes) the one it judges in.
      const [selfTest, version] = await Promise.all([this.selfTest(language), this.readVersion(language)]);
      const problems: string[] = [];
      if (selfTest) problems.push(`self-test (echo stdin back) ${selfTest}`);
      if ('failure' in version) problems.push(`versionCommand ${version.failure}`);
      if (problems.length > 0) failures.push(`${language.id} (${language.name}, image ${language.image}): ${problems.join('\n    ')}`);
      else if ('version' in version) versions.set(language.id, version.version);
    });
    if (failures.length > 0) {
      throw new LanguageSelfTestError(
        `${failures.length} of ${languages.length} languages failed their start-up check, so this worker will not judge:\n  - ${failures.sort().join('\n  - ')}`,
      );
    }
    return versions;
  }

  /** Why the self-test failed, or null when it passed. */
  private async selfTest(language: LanguageDefinition): Promise<string | null> {
    try {
      return selfTestFailure(await this.judge.execute(selfTestJob(language, this.policy.defaultLimits()), IGNORE_PROGRESS));
    } catch (error) {
      return `could not be judged: ${(error as Error).message}`;
    }
  }

  /** The versionCommand, run like a compiler (its limits, nothing on stdin) in a sandbox of the language's image. */
  private async readVersion(language: LanguageDefinition): Promise<{ version: string } | { failure: string }> {
    const command = language.versionCommand.join(' ');
    let run: RunResult;
    try {
      const memoryMb = applyLanguageLimits(this.policy.defaultLimits(), language).memoryMb;
      const session = await this.launcher.open(this.specs.forSubmission(language, memoryMb));
      try {
        run = await session.run(this.runSpecs.compile({ command: language.versionCommand }, this.programs.compileLimits('submission')));
      } finally {
        await session.close();
      }
    } catch (error) {
      return { failure: `"${command}" could not be run: ${(error as Error).message}` };
    }
    const stdout = run.stdout.toString('utf8');
    const stderr = run.stderr.toString('utf8');
    const failed = commandFailure(run);
    const version = versionFromOutput(stdout, stderr);
    if (failed || !version) {
      return { failure: `"${command}" ${failed ?? 'printed nothing'}${quoted('stdout', stdout)}${quoted('stderr', stderr)}` };
    }
    return { version };
  }
}

/** Calls `task` for every item, at most `limit` at a time. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
