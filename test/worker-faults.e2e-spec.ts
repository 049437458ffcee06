import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Server, Socket, createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanguageCatalog } from '@verdict/languages';
import { CatalogFiles, PINNED_IMAGES, builtInCatalogFiles, catalogFiles, removeCatalogFiles } from './support/language-catalogs';
import { VerdictStack } from './support/verdict-stack';

const AC_PYTHON = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '2 3\n', expectedOutput: '5\n' }] };
const GHOST_IMAGE = { repo: 'verdict/ghost', tag: 'missing' };

/** A catalog with every real language plus "ghost", whose image is pinned like the others. */
function catalogWithGhost(): CatalogFiles {
  const python = LanguageCatalog.load().get('python')!;
  const languages = [...LanguageCatalog.load().list(), { ...python, id: 'ghost', image: `${GHOST_IMAGE.repo}:${GHOST_IMAGE.tag}` }];
  return catalogFiles(languages, { [`${GHOST_IMAGE.repo}:${GHOST_IMAGE.tag}`]: PINNED_IMAGES[python.image] });
}

/** A Docker socket that can be cut, as when dockerd dies under a running worker. */
async function cuttableDockerSocket(): Promise<{ path: string; cut: () => Promise<void> }> {
  const path = join(mkdtempSync(join(tmpdir(), 'verdict-docker-')), 'docker.sock');
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const engine = connect('/var/run/docker.sock');
    for (const s of [client, engine]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(engine).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of open) s.destroy();
      await closed;
    },
  };
}

describe('faults of the judge, not of the code', () => {
  // No pre-started sandboxes by default: a fault must meet the start of a container to show.
  const catalog = catalogWithGhost();
  const stack = new VerdictStack({ ...catalog, SHUTDOWN_GRACE_MS: '60000', SANDBOX_POOL_SIZE: '0' });

  beforeAll(async () => {
    await stack.docker.getImage(PINNED_IMAGES['verdict/python:latest']).tag(GHOST_IMAGE);
    await stack.start({ worker: false });
  });
  afterAll(async () => {
    await stack.docker.getImage(`${GHOST_IMAGE.repo}:${GHOST_IMAGE.tag}`).remove().catch(() => undefined);
    await stack.stop();
    removeCatalogFiles(catalog);
  });

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

  it('retries an image removed under a running worker with backoff, then fails the submission as IE with the reason', async () => {
    await stack.docker.getImage(`${GHOST_IMAGE.repo}:${GHOST_IMAGE.tag}`).remove();
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
    await stack.docker.getImage(PINNED_IMAGES['verdict/python:latest']).tag(GHOST_IMAGE); // back, for the next workers
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

  describe("the judge's watchdog", () => {
    // The harness would wait a minute for a frozen sandbox: the watchdog, with a budget of the
    // compile limit, the program's wall limit twice over and 3 s, must be what ends the try. Python
    // only: a compile limit that short fits no compiler's start-up self-test on a loaded host.
    const pythonOnly = builtInCatalogFiles(['python']);
    const watched = {
      ...pythonOnly,
      SANDBOX_HARNESS_GRACE_MS: '60000',
      COMPILE_CPU_TIME_MS: '4000',
      COMPILE_WALL_TIME_MS: '4000',
      JUDGE_WATCHDOG_MARGIN_MS: '3000',
      JUDGE_WATCHDOG_PER_TEST_MS: '0',
    };
    const slow = { ...AC_PYTHON, source: `import time\ntime.sleep(1)\n${AC_PYTHON.source}`, limits: { cpuTimeMs: 1000, wallTimeMs: 4000 } };
    let worker: Awaited<ReturnType<VerdictStack['startWorker']>>;

    beforeAll(async () => {
      await Promise.all(stack.workers.map((w) => w.close()));
      stack.workers = [];
      worker = await stack.startWorker(watched);
    });
    afterAll(async () => {
      await worker.close();
      stack.workers = stack.workers.filter((w) => w !== worker);
      removeCatalogFiles(pythonOnly);
    });

    /**
     * Freezes the sandbox of the submission's next try (a harness that stops answering) while its
     * program runs: frozen before the harness answered, the try would instead wait out the harness's
     * start-up grace and fail for another reason. The program sleeps 1 s, time enough to see it.
     */
    async function freezeNextSandbox(id: string, frozen: Set<string>): Promise<void> {
      for (;;) {
        const containers = await stack.docker.listContainers({ filters: { label: [`org.verdict.submission=${id}`] } });
        const fresh = containers.find((c) => !frozen.has(c.Id));
        const running = fresh && (await stack.docker.getContainer(fresh.Id).top().then((top) => top.Processes.some((row: string[]) => row.join(' ').includes('python3')), () => false));
        if (fresh && running) {
          await stack.docker.getContainer(fresh.Id).pause();
          frozen.add(fresh.Id);
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('stops a try whose sandbox froze, removes the sandbox, and judges the submission again', async () => {
      const id = await stack.submit(slow);
      await freezeNextSandbox(id, new Set());
      const result = await stack.waitForResult(id);
      expect(result).toMatchObject({ status: 'completed', verdict: 'AC' });
      // The frozen sandbox is gone with its try; the verdict came from a second one.
      expect(await stack.leftoverContainers()).toEqual([]);
    });

    it('fails the submission with the reason once no try is left', async () => {
      const id = await stack.submit(slow);
      const frozen = new Set<string>();
      await freezeNextSandbox(id, frozen);
      await freezeNextSandbox(id, frozen);
      const result = await stack.waitForResult(id);
      expect(result).toMatchObject({ status: 'failed', verdict: 'IE' });
      const budgetS = (4000 + 2 * slow.limits.wallTimeMs + 3000) / 1000;
      expect(result.message).toBe(`gave up after 2 tries: judging did not finish within its budget of ${budgetS} s; the judge stopped it`);
      expect(await stack.leftoverContainers()).toEqual([]);
    });
  });

  it('refuses to start while a runtime image is missing or not the pinned one, naming it and the fix', async () => {
    await stack.docker.getImage(`${GHOST_IMAGE.repo}:${GHOST_IMAGE.tag}`).remove();
    const lock = join(mkdtempSync(join(tmpdir(), 'verdict-lock-')), 'images.lock.json');
    const wrong = `sha256:${'0'.repeat(64)}`;
    writeFileSync(lock, JSON.stringify({ ...JSON.parse(readFileSync(stack.env.SANDBOX_IMAGE_LOCK_FILE!, 'utf8')), 'verdict/python:latest': wrong }));
    const refusal = stack.startWorker({ SANDBOX_IMAGE_LOCK_FILE: lock });
    await expect(refusal).rejects.toThrow(/verdict\/ghost:missing does not exist/);
    await expect(refusal).rejects.toThrow(`verdict/python:latest is ${PINNED_IMAGES['verdict/python:latest']}, but ${wrong} is pinned`);
    await expect(refusal).rejects.toThrow(/bash deploy\/images\/build.sh/);
    await expect(stack.startWorker({ SANDBOX_IMAGE_LOCK_FILE: '/nonexistent/images.lock.json' })).rejects.toThrow(
      /cannot read the runtime image lock \/nonexistent\/images.lock.json/,
    );
    await expect(stack.startWorker({ LANGUAGES_FILE: '', DOCKER_SOCKET: '/nonexistent/docker.sock' })).rejects.toThrow(
      /cannot inspect runtime image/,
    );
  });

  it('fails submissions as IE when the Docker Engine goes away under a worker, and the worker survives', async () => {
    await Promise.all(stack.workers.map((w) => w.close()));
    stack.workers = [];
    const engine = await cuttableDockerSocket();
    // With a pool, whose waiting containers die with the connection too.
    await stack.startWorker({ LANGUAGES_FILE: '', DOCKER_SOCKET: engine.path, SANDBOX_POOL_SIZE: '2' });
    expect((await stack.judge(AC_PYTHON)).verdict).toBe('AC');
    await engine.cut();

    const result = await stack.judge(AC_PYTHON);
    expect(result).toMatchObject({ status: 'failed', verdict: 'IE' });
    expect(result.message).toMatch(new RegExp(`Docker Engine unreachable at ${engine.path.replace(/[.]/g, '\\.')}`));
    expect(result.message).toMatch(/gave up after 2 tries/);
    await stack.workers.pop()!.close();

    // With Docker back (a worker on the real socket), judging resumes, and what the cut-off worker
    // could not remove is reaped by the next worker of the same id.
    await stack.startWorker({ LANGUAGES_FILE: '' });
    expect((await stack.judge(AC_PYTHON)).verdict).toBe('AC');
    expect(await stack.leftoverContainers()).toEqual([]);
  });
});
