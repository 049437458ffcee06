import { Injectable, Logger } from '@nestjs/common';
import { ByteStream, CHECKERS, CheckResult, decideByExitCode } from '@verdict/checkers';
import { BuiltinCheckerType, CheckerSpec, JudgeJobPayload, JudgeTestDto, ProgramCheckerType, Verdict, isProgramChecker } from '@verdict/contracts';
import { RunResult, SandboxPool, SandboxSession, absoluteSandboxPath } from '@verdict/sandbox';
import { BuiltProgram, ProblemProgramBuilder, commandForArtifact } from './problem-program-builder';
import { CHECKER_MESSAGE_BYTES, RunSpecs } from './run-specs';
import { SandboxSpecs } from './sandbox-specs';
import { TestDataSource } from './test-data-source';
import { UnjudgeableSubmissionError } from './unjudgeable-submission.error';

/** Whether a test's output is right, and how much of the test's worth it earned. */
export interface Verification {
  verdict: Extract<Verdict, 'AC' | 'WA' | 'PE' | 'PA'>;
  score: number;
  message: string;
}

/** Decides the outputs of one submission's tests. */
export interface OutputVerifier {
  verify(test: JudgeTestDto, output: Buffer): Promise<Verification>;
  /** Takes what verifying needs (the checker's sandbox), so the first test does not wait for it. */
  prepare(): Promise<void>;
  /** Gives back what it holds (the checker's sandbox). */
  close(): void;
  /** Destroys what it holds instead (the judge's watchdog): a verification in flight fails. */
  abort(): void;
}

/** How much of a checker's messages a result keeps. */

/**
 * The verifier a job needs: a built-in comparison in the worker, or the problem's checker program
 * (testlib or Kattis), built once per worker and run in a sandbox of its own: the expected output
 * never enters the submission's sandbox.
 */
@Injectable()
export class OutputVerifiers {
  constructor(
    private readonly testData: TestDataSource,
    private readonly programs: ProblemProgramBuilder,
    private readonly sandboxes: SandboxPool,
    private readonly specs: SandboxSpecs,
    private readonly runSpecs: RunSpecs,
  ) {}

  async open(job: JudgeJobPayload): Promise<OutputVerifier> {
    if (!isProgramChecker(job.checker)) return new BuiltinVerifier(job.checker, this.testData);
    const program = await this.programs.build(job.checker.program, 'checker');
    return new CheckerProgramVerifier(job.checker.type, program, this.testData, this.sandboxes, this.specs, this.runSpecs);
  }
}

/** The answer's chunks, remembering whether reading them failed: that is the judge's trouble, not the output's. */
class AnswerStream implements ByteStream {
  failed = false;

  constructor(private readonly source: ByteStream) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      yield* this.source;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }
}

/**
 * Compares in the worker, streaming the expected answer from the test data cache. The output is the
 * user's, so nothing a built-in checker throws on it may become IE: it is WA with a message (and a
 * warning, since it is a bug of the checker). Failing to read the answer is still the judge's error.
 */
class BuiltinVerifier implements OutputVerifier {
  private readonly logger = new Logger('BuiltinVerifier');

  constructor(
    private readonly spec: CheckerSpec,
    private readonly testData: TestDataSource,
  ) {}

  async verify(test: JudgeTestDto, output: Buffer): Promise<Verification> {
    const type = this.spec.type as BuiltinCheckerType;
    const answer = new AnswerStream(this.testData.stream(test.answer));
    let checked: CheckResult;
    try {
      checked = await CHECKERS[type].check(answer, output, this.spec);
    } catch (error) {
      if (answer.failed) throw error;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.logger.warn(`the ${type} checker failed on the output of test ${test.name} (${output.length} bytes): ${error instanceof Error ? error.stack : reason}`);
      checked = { accepted: false, message: `the ${type} checker could not judge this output (${reason.slice(0, 200)})` };
    }
    return checked.accepted ? { verdict: 'AC', score: 1, message: '' } : { verdict: 'WA', score: 0, message: checked.message };
  }

  async prepare(): Promise<void> {}

  close(): void {}

  abort(): void {}
}

/**
 * testlib: `checker <input> <output> <answer>`, verdict by exit code, message on stderr.
 * Kattis: `validator <input> <answer> <feedback_dir> < output`, 42 or 43, message in
 * feedback_dir/judgemessage.txt. Anything else a checker does (a crash, a limit, FAIL) is a failure
 * of the judge, never a verdict for the submission.
 */
class CheckerProgramVerifier implements OutputVerifier {
  private session: Promise<SandboxSession> | null = null;

  constructor(
    private readonly protocol: ProgramCheckerType,
    private readonly program: BuiltProgram,
    private readonly testData: TestDataSource,
    private readonly sandboxes: SandboxPool,
    private readonly specs: SandboxSpecs,
    private readonly runSpecs: RunSpecs,
  ) {}

  async verify(test: JudgeTestDto, output: Buffer): Promise<Verification> {
    const session = await this.openSession();
    const files = { input: `@test-${test.index}-input`, answer: `@test-${test.index}-answer`, output: `@test-${test.index}-output` };
    await session.writeFile(files.input, await this.testData.read(test.input), 0o644);
    await session.writeFile(files.answer, await this.testData.read(test.answer), 0o644);
    await session.writeFile(files.output, output, 0o644);
    const checker = commandForArtifact(this.program, absoluteSandboxPath('@checker'));
    let ran: RunResult;
    let message: string;
    if (this.protocol === 'testlib') {
      ran = await session.run(this.runSpecs.checker([...checker, ...[files.input, files.output, files.answer].map(absoluteSandboxPath)], this.program.run.env, null));
      message = ran.stderr.toString('utf8') || ran.stdout.toString('utf8');
    } else {
      const feedback = `feedback-${test.index}`;
      await session.run(this.runSpecs.checker(['mkdir', '-p', feedback], this.program.run.env, null));
      ran = await session.run(this.runSpecs.checker([...checker, absoluteSandboxPath(files.input), absoluteSandboxPath(files.answer), `/work/${feedback}/`], this.program.run.env, files.output));
      const judgeMessage = await session.readFile(`${feedback}/judgemessage.txt`, CHECKER_MESSAGE_BYTES);
      message = 'data' in judgeMessage ? judgeMessage.data.toString('utf8') : '';
    }
    for (const path of Object.values(files)) await session.deleteFile(path);

    const failure = ran.killedBy !== 'none' ? `it exceeded its ${ran.killedBy} limit` : null;
    const decision = failure ? { failure } : decideByExitCode(ran.exitCode, message);
    if ('failure' in decision) {
      const said = (ran.stderr.toString('utf8') || message).trim().slice(0, 500);
      throw new UnjudgeableSubmissionError(`the problem's checker failed on test ${test.name}: ${decision.failure}${said ? ` (it said: ${said})` : ''}`);
    }
    return { ...decision, message: decision.message.slice(0, CHECKER_MESSAGE_BYTES) };
  }

  async prepare(): Promise<void> {
    await this.openSession();
  }

  close(): void {
    void this.session?.then((session) => this.sandboxes.release(session), () => undefined);
  }

  abort(): void {
    const session = this.session;
    this.session = Promise.reject(new Error('the checker was stopped by the judge\'s watchdog'));
    this.session.catch(() => undefined);
    void session?.then((open) => open.abort("stopped by the judge's watchdog").finally(() => this.sandboxes.release(open)), () => undefined);
  }

  private openSession(): Promise<SandboxSession> {
    this.session ??= (async () => {
      const session = await this.sandboxes.acquire(this.specs.forChecker(this.program.language), { keepWarm: true });
      await session.writeFile('@checker', this.program.artifact, 0o755);
      return session;
    })();
    return this.session;
  }
}
