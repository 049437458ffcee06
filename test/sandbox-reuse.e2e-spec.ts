import { SubmissionView } from '@verdict/contracts';
import { VerdictStack } from './support/verdict-stack';

/**
 * Reuse mode (SANDBOX_MODE=reuse): one container serves many submissions of its language, reset by
 * its harness in between. A submission must neither see nor affect a later one in the same
 * container: files, processes, environment, shared memory of every kind, leftover children. The
 * container's hostname (its id) tells which container judged a submission.
 */
const PROBE_CPP = String.raw`
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

static std::string list(const char* dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir)) {
    for (dirent* e; (e = readdir(d));) if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names.push_back(e->d_name);
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (auto& name : names) out += (out.empty() ? "" : ",") + name;
  return "[" + out + "]";
}

static int lines(const char* file) {
  int n = -1;
  if (FILE* f = fopen(file, "r")) { for (int c; (c = fgetc(f)) != EOF;) n += c == '\n'; fclose(f); }
  return n;
}

static int others() {
  int n = 0;
  DIR* proc = opendir("/proc");
  for (dirent* e; (e = readdir(proc));) { int pid = atoi(e->d_name); if (pid > 1 && pid != getpid()) n++; }
  closedir(proc);
  return n;
}

int main() {
  char mode[32] = "";
  if (scanf("%31s", mode) != 1) return 2;
  char host[256] = "";
  gethostname(host, sizeof host);
  std::string m = mode;
  if (m == "plant" || m == "plant-deep") {
    for (const char* path : {"/work/planted", "/tmp/planted", "/dev/shm/planted"}) close(open(path, O_CREAT | O_WRONLY, 0644));
    mkdir("/tmp/locked", 0700);
    close(open("/tmp/locked/inside", O_CREAT | O_WRONLY, 0600));
    chmod("/tmp/locked", 0);
    struct mq_attr attr = {0, 4, 64, 0, {0}};
    mq_open("/planted", O_CREAT | O_RDWR, 0600, &attr);
    shmget(0x5eed, 4096, IPC_CREAT | 0600);
    semget(0x5eed, 1, IPC_CREAT | 0600);
    msgget(0x5eed, IPC_CREAT | 0600);
    setenv("PLANTED", "1", 1);
    if (m == "plant-deep") {
      // Deeper than a reset will go: the reset cannot prove the sandbox clean.
      if (chdir("/tmp")) return 3;
      for (int i = 0; i < 100; i++) if (mkdir("d", 0700) || chdir("d")) return 3;
    }
    if (fork() == 0) {
      setsid();
      if (fork() == 0) { for (;;) { close(open("/tmp/heartbeat", O_CREAT | O_WRONLY | O_APPEND, 0644)); usleep(10000); } }
      _exit(0);
    }
    usleep(50000);
  }
  printf("host=%s uid=%d env=%s work=%s tmp=%s shm=%s mq=%s shm_segments=%d semaphores=%d queues=%d processes=%d\n", host,
         (int)getuid(), getenv("PLANTED") ? "planted" : "clean", list("/work").c_str(), list("/tmp").c_str(),
         list("/dev/shm").c_str(), list("/dev/mqueue").c_str(), lines("/proc/sysvipc/shm"), lines("/proc/sysvipc/sem"),
         lines("/proc/sysvipc/msg"), others());
  return 0;
}
`;

type Probe = Record<string, string>;

function probeOf(result: SubmissionView): Probe {
  // The whole result on failure, compiler output included.
  expect(result).toMatchObject({ status: 'completed', tests: [expect.anything()] });
  return Object.fromEntries(result.tests[0].stdout.trim().split(' ').map((field) => field.split('=') as [string, string]));
}

/**
 * A stack in reuse mode with one waiting container per language and one job at a time, so
 * consecutive submissions meet the same container; and the probe, run in `mode`.
 */
function reuseStack(overrides: NodeJS.ProcessEnv = {}) {
  const stack = new VerdictStack({ SANDBOX_MODE: 'reuse', SANDBOX_POOL_SIZE: '1', WORKER_CONCURRENCY: '1', ...overrides });
  const judge = async (mode: string) =>
    probeOf(await stack.judge({ language: 'cpp', source: PROBE_CPP, tests: [{ input: `${mode}\n`, expectedOutput: '' }], checker: { type: 'exact' } }));
  return { stack, judge };
}

describe('reuse mode: one container, many submissions, nothing shared', () => {
  const { stack, judge } = reuseStack();

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('gives the next submission the same container, reset: no file, process, IPC object or environment left, a fresh uid', async () => {
    const planted = await judge('plant');
    // What the first submission left while it ran, seen by itself.
    expect(planted).toMatchObject({ env: 'planted', shm_segments: '1', semaphores: '1', queues: '1', mq: '[planted]' });
    expect(planted.tmp).toContain('planted');
    expect(Number(planted.processes)).toBeGreaterThan(0);

    const next = await judge('look');
    expect(next.host).toBe(planted.host);
    expect(next.uid).not.toBe(planted.uid);
    expect(next).toMatchObject({
      env: 'clean',
      work: '[main,main.cpp]',
      tmp: '[]',
      shm: '[]',
      mq: '[]',
      shm_segments: '0',
      semaphores: '0',
      queues: '0',
      processes: '0',
    });
  });

  it('removes a container whose reset cannot be proven, and the next submission gets another', async () => {
    const planted = await judge('plant-deep');
    const next = await judge('look');
    expect(next.host).not.toBe(planted.host);
    expect(next).toMatchObject({ tmp: '[]', shm: '[]', mq: '[]', shm_segments: '0', processes: '0' });
    expect(await stack.leftoverContainers()).toEqual([]);
  });

  it('judges a run of submissions in reused containers with the right verdicts', async () => {
    const aplusb = { language: 'python', tests: [{ input: '2 3\n', expectedOutput: '5\n' }] };
    const verdicts = await Promise.all(
      ['print(sum(map(int, input().split())))', 'print(0)', 'import sys; sys.exit(4)', 'print(sum(map(int, input().split())))'].map(
        async (source) => {
          const { verdict, message, compileOutput } = await stack.judge({ ...aplusb, source });
          return verdict === 'CE' ? `CE: ${message} ${compileOutput}` : verdict;
        },
      ),
    );
    expect(verdicts).toEqual(['AC', 'WA', 'RE', 'AC']);
  });
});

/*
 * gVisor keeps System V IPC objects (and POSIX message queues) but does not list them, so no reset
 * can prove them gone: its sandboxes are used once each, even in reuse mode, and nothing leaks.
 */
describe('reuse mode under gVisor (runsc)', () => {
  const { stack, judge } = reuseStack({ SANDBOX_RUNTIME: 'runsc' });

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('gives every submission a container of its own, which sees nothing of the one before', async () => {
    const planted = await judge('plant');
    expect(planted.tmp).toContain('planted');
    const next = await judge('look');
    expect(next.host).not.toBe(planted.host);
    expect(next).toMatchObject({ env: 'clean', work: '[main,main.cpp]', tmp: '[]', shm: '[]', processes: '0' });
    expect(await stack.leftoverContainers()).toEqual([]);
  });
});
