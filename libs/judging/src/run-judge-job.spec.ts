import { Logger } from '@nestjs/common';
import { ResultStreamConfig, WorkerConfig, loadConfig } from '@verdict/config';
import { FinalEvent, JudgeJobPayload, ResultEvent, SubmissionStatus, TestResult } from '@verdict/contracts';
import { JudgeMetrics, MetricsRegistry } from '@verdict/metrics';
import { ResultStreamUnavailableError } from '@verdict/result-stream';
import { SandboxBrokenError, SandboxUnavailableError } from '@verdict/sandbox';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { JudgeOutcome, JudgeProgress } from './judge-progress';
import { JudgingBudgetExceededError } from './judge-watchdog';
import { InterruptedJudgeJob, PermanentJudgeFailure, RunJudgeJob, TransientJudgeFailure } from './run-judge-job';
import { UnjudgeableSubmissionError } from './unjudgeable-submission.error';

/**
 * RunJudgeJob with a scripted judge, a publisher that collects what it would put on the result
 * stream, and a runner whose abortAll breaks the judging in flight (as removing the sandboxes does).
 */

type Deps = ConstructorParameters<typeof RunJudgeJob>;
type ReceivedJob = Parameters<RunJudgeJob['execute']>[0];
type Script = (payload: JudgeJobPayload, progress: JudgeProgress) => Promise<JudgeOutcome>;

const SUBMISSION_ID = '7d5e7b4e-1d2a-4c1e-9a57-2b0c7f1e8a11';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const PAYLOAD = {
  submissionId: SUBMISSION_ID,
  traceparent: TRACEPARENT,
  language: 'python',
  source: 'print(sum(map(int, input().split())))',
  lane: 'live',
  kind: 'stdio',
  tests: [{ index: 0, name: '1', input: { text: '1 2\n' }, answer: { text: '3\n' } }],
  limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 },
  checker: { type: 'tokens' },
  scoring: { subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: [0], dependsOn: [] }], stopOnFirstFailure: false },
};

function testResult(index: number): TestResult {
  return {
    index,
    name: String(index + 1),
    verdict: 'AC',
    score: 1,
    message: '',
    cpuTimeMs: 5,
    cpuTimeMsRuns: [5],
    wallTimeMs: 7,
    memoryKb: 4000,
    exitCode: 0,
    signal: null,
    stdout: '3\n',
    stdoutTruncated: false,
    stderr: '',
    stderrTruncated: false,
  };
}

function outcome(tests: TestResult[]): JudgeOutcome {
  return { verdict: 'AC', tests, compileOutput: '', message: null, score: 100, maxScore: 100, subtasks: [{ name: 'all', points: 100, maxPoints: 100, verdict: 'AC', skipped: null, tests: [0] }] };
}

class FakeJudge {
  calls = 0;
  constructor(public script: Script) {}
  execute(payload: JudgeJobPayload, progress: JudgeProgress): Promise<JudgeOutcome> {
    this.calls += 1;
    return this.script(payload, progress);
  }
}

class FakePublisher {
  readonly events: ResultEvent[] = [];
  /** Event types whose publishing fails as if Redis were down. */
  failing = new Set<string>();
  async publish(event: ResultEvent): Promise<string> {
    if (this.failing.has(event.type)) throw new ResultStreamUnavailableError(`publishing a ${event.type} result event failed: Connection is closed.`);
    this.events.push(event);
    return `${this.events.length}-0`;
  }
  get types(): string[] {
    return this.events.map((e) => e.type);
  }
  get finals(): FinalEvent[] {
    return this.events.filter((e): e is FinalEvent => e.type === 'final');
  }
}

/** abortAll removes every sandbox: judging in flight then fails with SandboxBrokenError. */
class FakeRunner {
  private breakInFlight: ((error: Error) => void) | null = null;
  /** A judging that lasts until the sandboxes are aborted. */
  judgingUntilAborted(): Promise<never> {
    return new Promise<never>((_, reject) => (this.breakInFlight = reject));
  }
  async abortAll(): Promise<void> {
    this.breakInFlight?.(new SandboxBrokenError('sandbox harness failed: the harness connection is closed'));
  }
}

/** The submission's status as the store has it: set by a test, or a read that fails. */
class FakeFinishedSubmissions {
  status: SubmissionStatus | null = null;
  failing = false;
  readonly asked: string[] = [];
  async finalStatusOf(submissionId: string): Promise<SubmissionStatus | null> {
    this.asked.push(submissionId);
    if (this.failing) throw new Error('Connection is closed.');
    return this.status;
  }
}

describe('RunJudgeJob', () => {
  const worker = loadConfig(WorkerConfig, { WORKER_ID: 'judge-7' });
  let judge: FakeJudge;
  let publisher: FakePublisher;
  let runner: FakeRunner;
  let finished: FakeFinishedSubmissions;
  let run: RunJudgeJob;
  let metrics: MetricsRegistry;
  const scrape = async () => new Exposition((await metrics.exposition()).text);

  function job(overrides: Partial<ReceivedJob> = {}): ReceivedJob {
    return { id: SUBMISSION_ID, data: structuredClone(PAYLOAD), attempt: 1, maxAttempts: 3, ...overrides } as ReceivedJob;
  }

  function setUp(script: Script, env: Record<string, string> = {}): void {
    judge = new FakeJudge(script);
    publisher = new FakePublisher();
    runner = new FakeRunner();
    finished = new FakeFinishedSubmissions();
    const stream = loadConfig(ResultStreamConfig, { RESULT_PROGRESS_INTERVAL_MS: '100', ...env });
    metrics = new MetricsRegistry('worker');
    run = new RunJudgeJob(judge as unknown as Deps[0], publisher as unknown as Deps[1], runner as unknown as Deps[2], worker, stream, finished as unknown as Deps[5], metrics.group(JudgeMetrics));
  }

  /** Resolves once the judge has been called (the job passed its checks and published running). */
  async function judgingStarted(): Promise<void> {
    while (judge.calls === 0) await new Promise((resolve) => setImmediate(resolve));
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  describe('an invalid payload', () => {
    beforeEach(() => setUp(async () => outcome([])));

    it('ends the submission named by the job id as failed IE with the reason, and fails for good naming the problem', async () => {
      const { language: _dropped, ...data } = PAYLOAD;
      const failure = run.execute(job({ data: { ...data, limits: { ...data.limits, memoryMb: 0 } }, attempt: 2 }));
      await expect(failure).rejects.toThrow(PermanentJudgeFailure);
      await expect(failure).rejects.toThrow(/^invalid job payload: .*language.*; .*memoryMb/);
      expect(judge.calls).toBe(0);
      expect(publisher.events).toEqual([
        expect.objectContaining({ type: 'final', submissionId: SUBMISSION_ID, attempt: 2, status: 'failed', verdict: 'IE', tests: [], score: null, message: expect.stringMatching(/^invalid job payload: .*language/) }),
      ]);
    });

    it('says so for a payload that is not an object', async () => {
      await expect(run.execute(job({ data: 'garbage' }))).rejects.toThrow(new PermanentJudgeFailure('invalid job payload: payload must be an object'));
      expect(publisher.finals).toHaveLength(1);
    });

    it.each([['no id', undefined], ['an id that is not a submission id', '42']])('publishes nothing for a job with %s (no submission to end), and still fails for good', async (_what, id) => {
      await expect(run.execute(job({ id, data: {} }))).rejects.toThrow(PermanentJudgeFailure);
      expect(publisher.events).toEqual([]);
    });
  });

  describe('a valid job', () => {
    it('publishes running, compiled, the tests in batches, then the final result with the outcome', async () => {
      jest.useFakeTimers({ now: new Date('2026-12-06T00:00:00Z') });
      setUp(async (_payload, progress) => {
        await progress.compiled('warning: x\n');
        await progress.testJudged(testResult(0)); // the first one goes out at once
        await progress.testJudged(testResult(1)); // these two wait out the interval, together
        await progress.testJudged(testResult(2));
        await jest.advanceTimersByTimeAsync(100);
        await progress.testJudged(testResult(3)); // still waiting at the end: the final carries it
        return outcome([0, 1, 2, 3].map(testResult));
      });

      await expect(run.execute(job({ attempt: 2 }))).resolves.toEqual({ verdict: 'AC' });
      await jest.advanceTimersByTimeAsync(1000); // nothing left to trickle out after the final

      expect(publisher.types).toEqual(['running', 'compiled', 'tests', 'tests', 'final']);
      const [running, compiled, first, second, final] = publisher.events;
      const base = { submissionId: SUBMISSION_ID, traceparent: TRACEPARENT, attempt: 2 };
      expect(running).toEqual({ type: 'running', ...base, startedAt: '2026-12-06T00:00:00.000Z', workerId: 'judge-7' });
      expect(compiled).toEqual({ type: 'compiled', ...base, compileOutput: 'warning: x\n' });
      expect(first).toMatchObject({ type: 'tests', ...base, tests: [testResult(0)] });
      expect(second).toMatchObject({ type: 'tests', ...base, tests: [testResult(1), testResult(2)] });
      expect(final).toEqual({
        type: 'final',
        ...base,
        status: 'completed',
        verdict: 'AC',
        tests: [0, 1, 2, 3].map(testResult),
        compileOutput: '',
        message: null,
        finishedAt: '2026-12-06T00:00:00.100Z',
        score: 100,
        maxScore: 100,
        subtasks: outcome([]).subtasks,
      });
      // Judged from its running to its final: 0.1 s on the fake clock; each test by its verdict.
      const exposition = await scrape();
      expect(exposition.value('verdict_judge_duration_seconds_count', { language: 'python', verdict: 'AC' })).toBe(1);
      expect(exposition.value('verdict_judge_duration_seconds_sum', { language: 'python', verdict: 'AC' })).toBe(0.1);
      expect(exposition.value('verdict_tests_judged_total', { language: 'python', verdict: 'AC' })).toBe(4);
    });

    it('counts the job as running while it runs, on a worker of WORKER_CONCURRENCY slots', async () => {
      let release!: () => void;
      setUp(() => new Promise((resolve) => (release = () => resolve(outcome([testResult(0)])))));
      expect((await scrape()).value('verdict_judge_worker_concurrency')).toBe(worker.WORKER_CONCURRENCY);
      const running = run.execute(job());
      await judgingStarted();
      expect((await scrape()).value('verdict_judge_jobs_active')).toBe(1);
      release();
      await running;
      expect((await scrape()).value('verdict_judge_jobs_active')).toBe(0);
    });

    it('hands the judge the validated payload', async () => {
      let judged: JudgeJobPayload | null = null;
      setUp(async (payload) => {
        judged = payload;
        return outcome([]);
      });
      await run.execute(job());
      expect(judged).toBeInstanceOf(JudgeJobPayload);
      expect(judged).toMatchObject({ submissionId: SUBMISSION_ID, language: 'python', tests: [{ index: 0, name: '1' }] });
    });

    it('a verdict about the code (CE, WA...) is a completed job, not a failure', async () => {
      setUp(async () => ({ ...outcome([]), verdict: 'CE', compileOutput: 'main.py: SyntaxError', message: 'compilation failed (exit code 1)', score: 0 }));
      await expect(run.execute(job())).resolves.toEqual({ verdict: 'CE' });
      expect(publisher.finals).toEqual([expect.objectContaining({ status: 'completed', verdict: 'CE', message: 'compilation failed (exit code 1)', compileOutput: 'main.py: SyntaxError' })]);
    });
  });

  describe('a job whose submission is final already (expired in the queue, cancelled, judged by an earlier try)', () => {
    it.each(['failed', 'cancelled', 'completed'] as const)('is not judged when the submission is %s: nothing is published, the job ends without a verdict of its own', async (status) => {
      setUp(async () => outcome([testResult(0)]));
      finished.status = status;
      await expect(run.execute(job())).resolves.toEqual({ verdict: 'none', skipped: status });
      expect(finished.asked).toEqual([SUBMISSION_ID]);
      expect(judge.calls).toBe(0);
      expect(publisher.events).toEqual([]);
    });

    it('is judged when the submission is still open (queued, or running on a retry)', async () => {
      setUp(async () => outcome([testResult(0)]));
      finished.status = null;
      await expect(run.execute(job({ attempt: 2 }))).resolves.toEqual({ verdict: 'AC' });
      expect(publisher.types).toEqual(['running', 'final']);
    });

    it('is judged when the check cannot be made (the store applies stale results as stale anyway)', async () => {
      setUp(async () => outcome([testResult(0)]));
      finished.failing = true;
      await expect(run.execute(job())).resolves.toEqual({ verdict: 'AC' });
      expect(judge.calls).toBe(1);
    });
  });

  describe('failures of the judge', () => {
    const transient: [string, Error][] = [
      ['a sandbox that cannot be had', new SandboxUnavailableError('cannot create sandbox from image verdict/python:latest: connect ENOENT')],
      ['a sandbox that broke', new SandboxBrokenError('sandbox harness failed: read timed out')],
      ["the judge's watchdog", new JudgingBudgetExceededError('judging did not finish within its budget of 64 s; the judge stopped it')],
    ];

    it.each(transient)('%s before the last try: retried (TransientJudgeFailure), no final result', async (_what, error) => {
      setUp(async () => Promise.reject(error));
      const failure = run.execute(job({ attempt: 2, maxAttempts: 3 }));
      await expect(failure).rejects.toThrow(TransientJudgeFailure);
      await expect(failure).rejects.toThrow(error.message);
      expect(publisher.types).toEqual(['running']);
    });

    it.each(transient)('%s on the last try: ends the submission failed IE, "gave up after N tries", and fails for good', async (_what, error) => {
      setUp(async () => Promise.reject(error));
      const failure = run.execute(job({ attempt: 3, maxAttempts: 3 }));
      await expect(failure).rejects.toThrow(PermanentJudgeFailure);
      await expect(failure).rejects.toThrow(error.message);
      expect(publisher.types).toEqual(['running', 'final']);
      expect(publisher.finals[0]).toMatchObject({ status: 'failed', verdict: 'IE', attempt: 3, tests: [], score: null, maxScore: null, message: `gave up after 3 tries: ${error.message}` });
      expect((await scrape()).value('verdict_judge_duration_seconds_count', { language: 'python', verdict: 'IE' })).toBe(1);
      expect((await scrape()).value('verdict_judge_jobs_active')).toBe(0);
    });

    it('a result stream that cannot be written (Redis down) is a fault of the judge too: retried, not a verdict', async () => {
      setUp(async () => outcome([]));
      publisher.failing.add('final');
      const failure = run.execute(job({ attempt: 1, maxAttempts: 3 }));
      await expect(failure).rejects.toThrow(TransientJudgeFailure);
      await expect(failure).rejects.toThrow('publishing a final result event failed: Connection is closed.');
      expect(publisher.finals).toEqual([]);
    });

    it.each([
      ['a submission the judge cannot judge', new UnjudgeableSubmissionError("the problem's checker failed on test 1: it exceeded its cpu limit")],
      ['a bug of the judge', new TypeError("Cannot read properties of undefined (reading 'run')")],
    ])('%s on the first try: failed IE with the reason at once, no retry', async (_what, error) => {
      setUp(async () => Promise.reject(error));
      const failure = run.execute(job({ attempt: 1, maxAttempts: 3 }));
      await expect(failure).rejects.toThrow(new PermanentJudgeFailure(error.message));
      expect(publisher.finals).toEqual([expect.objectContaining({ status: 'failed', verdict: 'IE', attempt: 1, message: error.message })]);
    });

    it('progress published before the failure stays published; the failure is the last event', async () => {
      setUp(async (_payload, progress) => {
        await progress.compiled('');
        throw new UnjudgeableSubmissionError('language "cobol" is not in this worker\'s catalog');
      });
      await expect(run.execute(job())).rejects.toThrow(PermanentJudgeFailure);
      expect(publisher.types).toEqual(['running', 'compiled', 'final']);
    });
  });

  describe('shutdown', () => {
    it.each([
      ['a try with tries left', 1],
      ['the last try', 3],
    ])('interruptAll during %s: the judging breaks, the job is handed back (InterruptedJudgeJob), nothing final is published', async (_what, attempt) => {
      setUp(() => runner.judgingUntilAborted());
      const judging = run.execute(job({ attempt, maxAttempts: 3 }));
      await judgingStarted();
      await run.interruptAll();
      await expect(judging).rejects.toThrow(InterruptedJudgeJob);
      await expect(judging).rejects.toThrow(/^interrupted by shutdown: sandbox harness failed/);
      expect(publisher.finals).toEqual([]);
    });

    it('a job that finished before the interruption keeps its result', async () => {
      setUp(async () => outcome([testResult(0)]));
      await run.execute(job());
      await run.interruptAll();
      expect(publisher.finals).toEqual([expect.objectContaining({ status: 'completed', verdict: 'AC' })]);
    });
  });
});
