import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanguageCatalog } from '@verdict/languages';
import { VerdictStack } from './support/verdict-stack';

const AC_PYTHON = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '2 3\n', expectedOutput: '5\n' }] };

/** A catalog with every real language plus one whose image does not exist. */
function catalogWithGhost(): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-langs-'));
  const languages = [...LanguageCatalog.load().list(), { ...LanguageCatalog.load().get('python')!, id: 'ghost', image: 'verdict/ghost:missing' }];
  writeFileSync(join(dir, 'languages.json'), JSON.stringify(languages));
  return join(dir, 'languages.json');
}

describe('faults of the judge, not of the code', () => {
  const stack = new VerdictStack({ LANGUAGES_FILE: catalogWithGhost(), SHUTDOWN_GRACE_MS: '60000' });

  beforeAll(() => stack.start({ worker: false }));
  afterAll(() => stack.stop());

  it('fails a job with a corrupt payload for good, with the reason, and keeps serving', async () => {
    // A submission whose queued job gets replaced by garbage, as a bad producer or a bit flip would.
    const id = await stack.submit(AC_PYTHON);
    const queue = stack.queue();
    await queue.remove(id);
    await queue.add('judge', { submissionId: id, language: 42, tests: 'none' }, { jobId: id, attempts: 3 });
    await stack.startWorker();

    const result = await stack.waitForResult(id);
    expect(result).toMatchObject({ status: 'failed', verdict: 'IE' });
    expect(result.message).toMatch(/^invalid job payload: /);
    expect(result.message).toMatch(/traceparent must be a W3C traceparent/);
    expect(result.message).toMatch(/language must be a string/);
    expect(result.message).toMatch(/tests must be an array/);

    const job = await queue.getJob(id);
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(1); // permanent: never retried
    expect(job!.failedReason).toMatch(/invalid job payload/);
    await queue.close();

    expect((await stack.judge(AC_PYTHON)).verdict).toBe('AC');
  });

  it('retries a missing image with backoff, then fails the submission as IE with the reason', async () => {
    const id = await stack.submit({ ...AC_PYTHON, language: 'ghost' });
    const result = await stack.waitForResult(id);
    expect(result).toMatchObject({ status: 'failed', verdict: 'IE', tests: [] });
    expect(result.message).toMatch(/gave up after 2 tries/);
    expect(result.message).toMatch(/No such image: verdict\/ghost:missing/);
    expect(result.message).toMatch(/deploy\/images\/build.sh/);
    const queue = stack.queue();
    const job = await queue.getJob(id);
    expect(job!.attemptsMade).toBe(2);
    await queue.close();
  });

  it('finishes the jobs in flight on shutdown before it exits', async () => {
    const id = await stack.submit({ ...AC_PYTHON, source: `import time\ntime.sleep(1.5)\n${AC_PYTHON.source}` });
    const seen = new Set<string>();
    while (!seen.has('running')) {
      seen.add((await stack.get(`/v1/submissions/${id}`)).body.status);
      await new Promise((r) => setTimeout(r, 20));
    }
    await stack.workers.pop()!.close();
    // close() returned: the job must already be done, without any worker left to do it.
    const done = (await stack.get(`/v1/submissions/${id}`)).body;
    expect(done).toMatchObject({ status: 'completed', verdict: 'AC' });
    expect(await stack.leftoverContainers(0)).toEqual([]);
  });

  it('hands jobs back to the queue when they outlast the shutdown grace period', async () => {
    const impatient = await stack.startWorker({ SHUTDOWN_GRACE_MS: '0' });
    const id = await stack.submit({ ...AC_PYTHON, source: `import time\ntime.sleep(3)\n${AC_PYTHON.source}` });
    while ((await stack.get(`/v1/submissions/${id}`)).body.status !== 'running') await new Promise((r) => setTimeout(r, 20));
    await impatient.close();
    stack.workers = stack.workers.filter((w) => w !== impatient);
    // Closed without waiting for the 3 s program: the job is back in the queue, not done and not
    // failed, with no try used up, and its sandbox is gone.
    const queue = stack.queue();
    const job = await queue.getJob(id);
    expect(['delayed', 'waiting']).toContain(await job!.getState());
    expect(job!.attemptsMade).toBe(0);
    await queue.close();
    expect(await stack.leftoverContainers()).toEqual([]);
    expect((await stack.get(`/v1/submissions/${id}`)).body.status).toBe('running');

    await stack.startWorker();
    const result = await stack.waitForResult(id);
    expect(result).toMatchObject({ status: 'completed', verdict: 'AC' });
  });

  it('fails submissions as IE when the Docker Engine is unreachable, and the worker survives', async () => {
    await Promise.all(stack.workers.map((w) => w.close()));
    stack.workers = [];
    await stack.startWorker({ DOCKER_SOCKET: '/nonexistent/docker.sock' });
    const result = await stack.judge(AC_PYTHON);
    expect(result).toMatchObject({ status: 'failed', verdict: 'IE' });
    expect(result.message).toMatch(/Docker Engine unreachable at \/nonexistent\/docker.sock/);
    expect(result.message).toMatch(/gave up after 2 tries/);
    await stack.workers.pop()!.close();

    // With Docker back (a worker on the real socket), judging resumes.
    await stack.startWorker();
    expect((await stack.judge(AC_PYTHON)).verdict).toBe('AC');
  });
});
