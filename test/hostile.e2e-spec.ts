import { SandboxConfig } from '@verdict/config';
import { SubmissionView, Verdict } from '@verdict/contracts';
import { OWNER_LABEL } from '@verdict/sandbox';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { AddressInfo, Server, createServer } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { builtInCatalogFiles, removeCatalogFiles } from './support/language-catalogs';
import { EXAMPLE_PROBLEMS, jsonPackageOf } from './support/problem-packages';
import { VerdictStack } from './support/verdict-stack';

/**
 * Hostile submissions through the public API, under both runtimes: each must get the verdict its
 * behaviour deserves, must not break its sandbox or the worker, and must leave nothing behind. Why
 * each one is stopped, and by what: docs/security.md.
 *
 * One program per language holds many attacks and the first word of a test's input picks one, so a
 * submission (one container) runs a whole group, and a later test in it checks what an earlier one
 * may have left there.
 */

const RUNTIMES = ['runc', 'runsc'] as const;
type Runtime = (typeof RUNTIMES)[number];

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const SECRET = `verdict-secret-${hex(8)}`;
// The worker runs in this process: its environment is what a program must never see.
process.env.VERDICT_TEST_SECRET = SECRET;

const HOSTILE_CPP = String.raw`
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <string>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void spin() { for (volatile unsigned long x = 0;; x++) {} }
static void* spin_thread(void*) { spin(); return nullptr; }
static int recurse_forever(int n) { volatile char frame[4096]; frame[0] = (char)n; return recurse_forever(n + 1) + frame[0]; }
static long recurse(long depth) { volatile char frame[1024]; frame[0] = 1; return depth == 0 ? 0 : recurse(depth - 1) + frame[0]; }

// Processes besides this one and the harness (PID 1): whatever an earlier run left alive.
static int others() {
  int n = 0;
  DIR* proc = opendir("/proc");
  for (dirent* e; (e = readdir(proc));) {
    int pid = atoi(e->d_name);
    if (pid > 1 && pid != getpid()) n++;
  }
  closedir(proc);
  return n;
}

// Touches every page of n MiB of fresh memory and keeps it (volatile: no store may be left out).
static void hold(size_t mib) {
  volatile char* p = (volatile char*)malloc(mib << 20);
  for (size_t i = 0; p && i < mib << 20; i += 4096) p[i] = 1;
}
static void write_file(const char* path, size_t mib) {
  static char chunk[1 << 20];
  memset(chunk, 'x', sizeof chunk);
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  for (size_t i = 0; i < mib; i++) (void)!write(fd, chunk, sizeof chunk);
  close(fd);
}
// Keeps what it holds for a while, then says so and exits: only a judge that counts it stops it first.
static int held() { usleep(2000000); puts("held"); return 0; }
static int lines_in(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) return 0;
  int n = 0;
  for (int c; (c = fgetc(f)) != EOF;) n += c == '\n';
  fclose(f);
  return n;
}

// Writes 8 MiB files into dir until a write fails; true if it failed for lack of space.
static bool fill(const char* dir) {
  static char chunk[1 << 20];
  for (int f = 0;; f++) {
    int fd = open((std::string(dir) + "/fill-" + std::to_string(f)).c_str(), O_CREAT | O_WRONLY, 0644);
    if (fd < 0) return errno == ENOSPC;
    for (int i = 0; i < 8; i++)
      if (write(fd, chunk, sizeof chunk) < 0) return errno == ENOSPC;
    close(fd);
  }
}

int main() {
  char word[64] = "", arg[64] = "";
  if (scanf("%63s %63s", word, arg) < 1) return 2;
  std::string mode = word;
  if (mode == "answer") { puts("answer"); return 0; }
  if (mode == "survivors") { printf("%d\n", others()); return 0; }

  if (mode == "fork-bomb") for (;;) if (fork() == 0) setsid();
  if (mode == "thread-bomb") for (;;) { pthread_t t; pthread_create(&t, nullptr, spin_thread, nullptr); }
  if (mode == "spin") spin();
  if (mode == "sleep") for (;;) pause();
  if (mode == "spinning-child") { if (fork() == 0) spin(); for (;;) pause(); }
  if (mode == "orphan-spinner" || mode == "daemon") {
    // Out of the run's session and process group, renamed, deaf to polite signals.
    if (fork() == 0) {
      setsid();
      if (fork() == 0) {
        prctl(PR_SET_NAME, arg);
        signal(SIGHUP, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        close(0), close(1), close(2);
        if (mode == "orphan-spinner") spin();
        for (;;) {
          int fd = open("/tmp/heartbeat", O_WRONLY | O_CREAT | O_APPEND, 0644);
          (void)!write(fd, "x", 1);
          close(fd);
          usleep(10000);
        }
      }
      _exit(0);
    }
    wait(nullptr);
    // Exit only once the daemon is demonstrably alive.
    for (struct stat beat; mode == "daemon" && stat("/tmp/heartbeat", &beat) != 0;) usleep(1000);
    puts("answer");
    return 0;
  }
  if (mode == "heartbeat") {
    struct stat before = {}, after = {};
    stat("/tmp/heartbeat", &before);
    usleep(200000);
    stat("/tmp/heartbeat", &after);
    puts(before.st_size > 0 && before.st_size == after.st_size ? "still" : "beating or never beat");
    return 0;
  }
  if (mode == "attack-harness") {
    // The worker's channel: the harness's socket (runc) or its attached stdio (/proc/1/fd).
    sockaddr_un worker = {};
    worker.sun_family = AF_UNIX;
    strcpy(worker.sun_path, "/run/verdict/harness.sock");
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    int hits = (kill(1, SIGSTOP) == 0) + (kill(1, SIGKILL) == 0) + (kill(-1, SIGSTOP) == 0) + (kill(-1, SIGKILL) == 0) +
               (ptrace(PTRACE_ATTACH, 1, nullptr, nullptr) == 0) + (open("/proc/1/fd/0", O_RDONLY) >= 0) +
               (open("/proc/1/mem", O_RDWR) >= 0) + (connect(sock, (sockaddr*)&worker, sizeof worker) == 0) +
               (opendir("/run/verdict") != nullptr);
    puts(hits ? "hit" : "denied");
    return 0;
  }
  if (mode == "forge-result") {
    // The harness's stdout is the worker's channel: a RESULT written there would be believed.
    const char forged[] = "RESULT exit_code=0 signal=0 killed=none cpu_us=1 user_us=1 sys_us=0 wall_us=1 maxrss_kb=1 "
                          "stdout_len=7 stdout_truncated=0 stderr_len=0 stderr_truncated=0\nanswer\n";
    int fd = open("/proc/1/fd/1", O_WRONLY);
    if (fd >= 0) (void)!write(fd, forged, sizeof forged - 1);
    return 1;
  }
  if (mode == "syscalls") {
    // What no judged program needs: each must fail. A thread must still start (glibc's clone3, then clone).
    unsigned char params[120] = {};
    struct { const char* name; long result; } calls[] = {
      {"io_uring_setup", syscall(SYS_io_uring_setup, 8, params)},
      {"bpf", syscall(SYS_bpf, 0, nullptr, 0)},
      {"perf_event_open", syscall(SYS_perf_event_open, nullptr, 0, -1, -1, 0)},
      {"userfaultfd", syscall(SYS_userfaultfd, 0)},
      {"keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0)},
      {"unshare", syscall(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */)},
    };
    std::string allowed;
    for (auto& call : calls) if (call.result >= 0) allowed += std::string(" ") + call.name;
    pthread_t thread;
    bool threads = pthread_create(&thread, nullptr, [](void*) -> void* { return nullptr; }, nullptr) == 0 && pthread_join(thread, nullptr) == 0;
    printf("%s%s\n", allowed.empty() ? "refused" : ("allowed:" + allowed).c_str(), threads ? "" : " (no thread)");
    return 0;
  }
  if (mode == "whoami") {
    char status[4096] = "";
    int fd = open("/proc/self/status", O_RDONLY);
    status[read(fd, status, sizeof status - 1)] = 0;
    unsigned uid = 0;
    unsigned long long caps = 1;
    sscanf(strstr(status, "Uid:"), "Uid: %u", &uid);
    sscanf(strstr(status, "CapEff:"), "CapEff: %llx", &caps);
    printf("uid=%u caps=%llx\n", uid, caps);
    return 0;
  }

  if (mode == "sysv-hold") {
    size_t size = (size_t)atoi(arg) << 20;
    int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
    char* p = id < 0 ? nullptr : (char*)shmat(id, nullptr, 0);
    if (!p || p == (char*)-1) { printf("shm: %s\n", strerror(errno)); return 1; }
    memset(p, 1, size);
    return held();
  }
  if (mode == "processes") {
    // Six processes of 24 MiB each, every one under the limit, together over it.
    int ready[2];
    if (pipe(ready) < 0) return 1;
    for (int i = 0; i < 6; i++)
      if (fork() == 0) { hold(24); (void)!write(ready[1], "x", 1); for (;;) pause(); }
    for (int i = 0; i < 6; i++) { char c; (void)!read(ready[0], &c, 1); }
    return held();
  }
  if (mode == "devshm-and-heap") {
    write_file("/dev/shm/held", 14);
    hold(24);
    return held();
  }
  if (mode == "scratch-file") {
    // A file in /tmp is the sandbox's scratch space, not the program's memory.
    write_file("/tmp/scratch", 48);
    puts("answer");
    return 0;
  }
  if (mode == "backstop") {
    // The container's memory cgroup limit in MiB, where the sandbox can read it (runc).
    FILE* f = fopen("/sys/fs/cgroup/memory/memory.limit_in_bytes", "r");
    unsigned long long limit = 0;
    if (!f || fscanf(f, "%llu", &limit) != 1) { puts("unreadable"); return 0; }
    printf("%llu\n", limit >> 20);
    return 0;
  }
  if (mode == "ipc-left") {
    // What earlier runs left in shared memory: System V objects (where listed) and /dev/shm files.
    int left = lines_in("/proc/sysvipc/shm") + lines_in("/proc/sysvipc/sem") + lines_in("/proc/sysvipc/msg");
    left -= (access("/proc/sysvipc/shm", R_OK) == 0) * 3; // their header lines
    DIR* shm = opendir("/dev/shm");
    for (dirent* e; shm && (e = readdir(shm));) left += e->d_name[0] != '.';
    if (shm) closedir(shm);
    printf("%d\n", left);
    return 0;
  }
  if (mode == "touch-10g" || mode == "reserve-10g") {
    size_t size = 10ull << 30;
    char* p = (char*)mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return 1;
    if (mode == "touch-10g") for (size_t i = 0; i < size; i += 4096) p[i] = 1;
    puts("reserved");
    return 0;
  }
  if (mode == "recursion") return recurse_forever(0);
  if (mode == "deep-recursion") { puts(recurse(32 << 10) > 0 ? "deep" : "?"); return 0; }

  if (mode == "stdout-flood" || mode == "stderr-flood") {
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 1024; i++) (void)!write(mode == "stdout-flood" ? 1 : 2, chunk, sizeof chunk);
    return 0;
  }
  if (mode == "close-stdout-then-answer") { close(1); puts("answer"); return 0; }
  if (mode == "answer-then-close-stdout") { puts("answer"); fflush(stdout); close(1); close(2); return 0; }
  if (mode == "close-output-and-spin") { close(1); close(2); spin(); }
  if (mode == "many-files") {
    for (long n = 0;; n++) {
      int fd = open(("/tmp/f" + std::to_string(n)).c_str(), O_CREAT | O_WRONLY, 0644);
      if (fd < 0) { puts(errno == ENOSPC ? "bounded" : strerror(errno)); return 0; }
      close(fd);
    }
  }
  if (mode == "fill-disk") { puts(fill("/work") && fill("/tmp") && fill("/dev/shm") ? "full" : "not-full"); return 0; }

  if (mode == "raise") { kill(getpid(), atoi(arg)); pause(); }
  if (mode == "segv") { volatile int* p = nullptr; return *p; }
  if (mode == "fpe") { volatile int one = 1, zero = 0; return one / zero; }
  if (mode == "abort") abort();
  if (mode == "trap") __builtin_trap();
  if (mode == "exit") exit(atoi(arg));
  puts("unknown mode");
  return 3;
}
`;

/** What the network probes aim at: addresses of this machine only, as the rule for these machines requires. */
interface Targets {
  bridge: string;
  tcpPort: number;
  udpPort: number;
  unixName: string;
}

const NETWORK_PY = String.raw`
import os, socket, sys

word, *args = sys.stdin.read().split()

def tcp():
    with socket.create_connection((args[0], int(args[1])), timeout=1):
        pass

def dns():
    # A query for verdict.test sent to the server in the input, never to the resolver in /etc/resolv.conf.
    query = bytes.fromhex('abcd01000001000000000000') + b'\x07verdict\x04test\x00\x00\x01\x00\x01'
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        s.sendto(query, (args[0], int(args[1])))
        s.recvfrom(512)

def unix():
    with socket.socket(socket.AF_UNIX) as s:
        s.connect('\0' + args[0])

if word == 'interfaces':
    names = set(os.listdir('/sys/class/net')) if os.path.isdir('/sys/class/net') else set()
    with open('/proc/net/dev') as f:
        names |= {line.split(':')[0].strip() for line in f.readlines()[2:]}
    print(' '.join(sorted(names)))
elif word == 'docker-socket':
    print('present' if any(os.path.exists(p) for p in ('/var/run/docker.sock', '/run/docker.sock')) else 'absent')
else:
    try:
        {'tcp': tcp, 'dns': dns, 'unix': unix}[word]()
        print('reached')
    except OSError:
        print('blocked')
`;

const SECRETS_PY = String.raw`
import os, re, sys

word = sys.stdin.read().split()[0]
if word == 'env':
    print(' '.join(sorted(os.environ)))
elif word == 'harness-env':
    try:
        print(' '.join(sorted(v.split(b'=')[0].decode() for v in open('/proc/1/environ', 'rb').read().split(b'\0') if v)))
    except OSError:
        print('denied')
elif word == 'search':
    # Looks for tests' expected outputs and the worker's secret wherever a process here can read.
    pattern = re.compile(rb'verdict-(?:expected|secret)-[0-9a-f]{16}')
    found = set(m.decode() for m in pattern.findall('\n'.join(f'{k}={v}' for k, v in os.environ.items()).encode()))
    paths = [f'/proc/{pid}/{name}' for pid in os.listdir('/proc') if pid.isdigit() for name in ('environ', 'cmdline')]
    for top in ('/work', '/tmp', '/dev/shm', '/run', '/etc', '/var/tmp', '/home', '/root'):
        paths += [os.path.join(root, name) for root, _, names in os.walk(top) for name in names]
    read = 0
    for path in paths:
        try:
            with open(path, 'rb') as f:
                found.update(m.decode() for m in pattern.findall(f.read(1 << 20)))
            read += 1
        except OSError:
            pass
    print(' '.join(sorted(found)) or 'not-found', read)
`;

/** Writes a marker wherever it can (the first submission), then looks for it (the next one). */
const MARKER_DIRS = ['/work', '/tmp', '/dev/shm', '/in', '/', '/etc', '/usr/local/bin', '/var/tmp', '/run', '/home'];
const MARKER_PY = String.raw`
import os, sys

word, marker = sys.stdin.read().split()
dirs = ${JSON.stringify(MARKER_DIRS)}
if word == 'plant':
    planted = []
    for d in dirs:
        try:
            with open(os.path.join(d, marker), 'w') as f:
                f.write('planted')
            planted.append(d)
        except OSError:
            pass
    print(' '.join(planted))
else:
    print(' '.join(d for d in dirs if os.path.exists(os.path.join(d, marker))) or 'none')
`;

const ERROR_FLOOD_CPP = [
  '#define E1 int x = y;',
  '#define E10 E1 E1 E1 E1 E1 E1 E1 E1 E1 E1',
  '#define E100 E10 E10 E10 E10 E10 E10 E10 E10 E10 E10',
  '#define E1000 E100 E100 E100 E100 E100 E100 E100 E100 E100 E100',
  '#define E10000 E1000 E1000 E1000 E1000 E1000 E1000 E1000 E1000 E1000 E1000',
  '#define E100000 E10000 E10000 E10000 E10000 E10000 E10000 E10000 E10000 E10000 E10000',
  // A million errors, each quoting the chain of macro expansions that made it: far over 100 MB.
  'E100000 E100000 E100000 E100000 E100000 E100000 E100000 E100000 E100000 E100000',
  'int main() {}',
].join('\n');

const TEMPLATE_BOMB_CPP = [
  // Two new instantiations per level, 2^40 in all: no memoization can help.
  'template <int N, long M> struct Bomb { static constexpr long value = Bomb<N - 1, 2 * M>::value + Bomb<N - 1, 2 * M + 1>::value; };',
  'template <long M> struct Bomb<0, M> { static constexpr long value = M & 1; };',
  'int main() { return (int)Bomb<40, 0>::value; }',
].join('\n');

const GO_BUILD_FOREVER = [
  // Each function instantiates the next with two new types: 2^40 instantiations.
  'package main',
  'type P[T any] struct{ a, b T }',
  ...Array.from({ length: 40 }, (_, i) => `func f${i}[T any]() { f${i + 1}[P[T]](); f${i + 1}[[]T]() }`),
  'func f40[T any]() {}',
  'func main() { f0[int]() }',
].join('\n');

/** One value, or one per runtime where they differ for a reason docs/security.md gives. */
type PerRuntime<T> = T | Record<Runtime, T>;
const under = <T extends string>(value: PerRuntime<T>, runtime: Runtime): T => (typeof value === 'object' ? value[runtime] : value);

interface Expectation {
  verdict: PerRuntime<Verdict>;
  /** Also what an AC test must have printed; the default is "answer". */
  expectedOutput?: PerRuntime<string>;
  message?: RegExp;
  signal?: string;
  exitCode?: number;
  stdout?: RegExp;
  /** Bounds on the test's reported peak memory. */
  minMemoryKb?: number;
  maxMemoryKb?: number;
}

interface HostileTest extends Expectation {
  name: string;
  input: string;
}

interface HostileGroup {
  title: string;
  language: string;
  source: string;
  limits: Record<string, number>;
  tests: HostileTest[];
}

/**
 * The wall limit leaves a program that computes all the time six times the CPU limit, so that it
 * is stopped for CPU, not wall time, even when others load this shared machine.
 */
const LIMITS = { cpuTimeMs: 1000, wallTimeMs: 6000, memoryMb: 64, outputKb: 64 };
/** For programs that fill the sandbox's mounts or shared memory: the kernel's time for that counts as theirs. */
const FILL_LIMITS = { ...LIMITS, cpuTimeMs: 5000, wallTimeMs: 20000 };
/** What a sandbox's cgroup holds beside its programs: its tmpfs mounts and the harness's headroom (the defaults). */
const SANDBOX_FILES_MB = ((c) => c.SANDBOX_WORK_MB + c.SANDBOX_TMP_MB + c.SANDBOX_INPUT_MB + c.SANDBOX_HEADROOM_MB)(new SandboxConfig());
const CPU_TLE = /CPU time limit/;
const WALL_TLE = /wall time limit/;
const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGBUS: 7, SIGKILL: 9, SIGUSR1: 10, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24,
};

const answer = (): HostileTest => ({ name: 'then the next test is judged as usual', input: 'answer', verdict: 'AC' });
const nothingLeftOf = (what: string): HostileTest => ({
  name: `nothing of ${what} is alive`,
  input: 'survivors',
  expectedOutput: '0',
  verdict: 'AC',
});

function cppGroups(marker: string): HostileGroup[] {
  const cpp = { language: 'cpp', source: HOSTILE_CPP, limits: LIMITS };
  return [
    {
      ...cpp,
      title: 'processes',
      // Room for gVisor, which counts a few MB of resident memory per thread.
      limits: { ...LIMITS, memoryMb: 256 },
      tests: [
        { name: 'fork bomb', input: 'fork-bomb', verdict: 'TLE', message: CPU_TLE },
        nothingLeftOf('the fork bomb'),
        { name: 'thread bomb', input: 'thread-bomb', verdict: 'TLE', message: CPU_TLE },
        { name: 'infinite loop', input: 'spin', verdict: 'TLE', message: CPU_TLE },
        { name: 'sleeping forever', input: 'sleep', verdict: 'TLE', message: WALL_TLE },
        { name: 'a child spinning while main waits (its CPU counts)', input: 'spinning-child', verdict: 'TLE', message: CPU_TLE },
        // The run ends when main exits: what it left running is killed then, so it cannot matter.
        { name: 'a detached child left spinning when main exits', input: `orphan-spinner ${marker}`, verdict: 'AC' },
        nothingLeftOf('the detached child'),
        { name: 'a daemon that outlives main', input: `daemon ${marker}`, verdict: 'AC' },
        nothingLeftOf('the daemon'),
        { name: "the daemon's heartbeat file has stopped growing", input: 'heartbeat', expectedOutput: 'still', verdict: 'AC' },
        { name: 'stopping, killing, tracing or reading the harness, or reaching the worker through its socket', input: 'attack-harness', expectedOutput: 'denied', verdict: 'AC' },
        { name: "forging a result on the harness's stdout", input: 'forge-result', verdict: 'RE', exitCode: 1 },
        { name: 'runs as uid 10001 with no capabilities', input: 'whoami', expectedOutput: 'uid=10001 caps=0', verdict: 'AC' },
        // gVisor implements these in its own kernel (io_uring and user namespaces inside the sandbox)
        // and cannot load the profile (docs/security.md, "System calls").
        { name: 'io_uring, bpf, perf events, userfaultfd, keys and new namespaces are refused; threads start', input: 'syscalls', expectedOutput: { runc: 'refused', runsc: 'allowed: io_uring_setup unshare' }, verdict: 'AC' },
        answer(),
      ],
    },
    {
      ...cpp,
      title: 'memory',
      tests: [
        { name: 'touching 10 GB', input: 'touch-10g', verdict: 'MLE' },
        // Limits are on resident memory: address space reserved and never touched costs nothing.
        { name: 'reserving 10 GB without touching it', input: 'reserve-10g', expectedOutput: 'reserved', verdict: 'AC' },
        // The stack may grow as large as the memory limit, so exhausting it is exceeding that limit.
        { name: 'infinite recursion', input: 'recursion', verdict: 'MLE' },
        { name: 'deep recursion that fits (32 MB of stack)', input: 'deep-recursion', expectedOutput: 'deep', verdict: 'AC' },
        answer(),
      ],
    },
    {
      ...cpp,
      // Everything the run's processes hold counts, together; the sandbox's files do not.
      title: 'memory held as a whole',
      limits: { ...LIMITS, cpuTimeMs: 4000, wallTimeMs: 10000, memoryMb: 32 },
      tests: [
        // Once compiled, the container's cgroup is no larger than the run's limit and the sandbox's files (runc; gVisor cannot resize).
        { name: "the cgroup backstop is the run's size, not the compiler's", input: 'backstop', expectedOutput: { runc: String(32 + SANDBOX_FILES_MB), runsc: 'unreadable' }, verdict: 'AC' },
        { name: '256 MiB in System V shared memory', input: 'sysv-hold 256', verdict: 'MLE', minMemoryKb: 32 * 1024 },
        { name: 'six processes of 24 MiB each', input: 'processes', verdict: 'MLE', minMemoryKb: 32 * 1024 },
        { name: '14 MiB in /dev/shm beside a 24 MiB heap', input: 'devshm-and-heap', verdict: 'MLE', minMemoryKb: 32 * 1024 },
        { name: 'nothing is left in shared memory for the next test', input: 'ipc-left', expectedOutput: '0', verdict: 'AC' },
        { name: 'a 48 MiB file in /tmp is not memory', input: 'scratch-file', verdict: 'AC', maxMemoryKb: 32 * 1024 },
        answer(),
      ],
    },
    {
      ...cpp,
      title: 'output and files',
      tests: [
        { name: '1 GB on stdout', input: 'stdout-flood', verdict: 'OLE' },
        // stderr past its preview is dropped, but more of it than the output limit stops the run too.
        { name: '1 GB on stderr', input: 'stderr-flood', verdict: 'OLE' },
        { name: 'closing stdout, then writing the answer', input: 'close-stdout-then-answer', verdict: 'WA', stdout: /^$/ },
        { name: 'writing the answer, then closing stdout and stderr', input: 'answer-then-close-stdout', verdict: 'AC' },
        { name: 'closing stdout and stderr, then spinning', input: 'close-output-and-spin', verdict: 'TLE', message: CPU_TLE },
        {
          // runc's tmpfs bounds its inodes; gVisor's ignores the bound, and the CPU limit ends the run there.
          name: 'creating files until something stops it',
          input: 'many-files',
          expectedOutput: 'bounded',
          verdict: { runc: 'AC', runsc: 'TLE' },
        },
        answer(),
      ],
    },
    {
      ...cpp,
      title: 'full disks',
      // Writing some 200 MB into the tmpfs mounts takes kernel time (gVisor's, under runsc) that is
      // charged to the program: enough CPU that the write is not stopped first on a loaded host.
      limits: FILL_LIMITS,
      tests: [{ name: 'filling /work, /tmp and /dev/shm', input: 'fill-disk', expectedOutput: 'full', verdict: 'AC' }, answer()],
    },
    {
      ...cpp,
      title: 'signals and exits',
      tests: [
        ...Object.entries(SIGNAL_NUMBERS).map(
          ([signal, n]): HostileTest => ({ name: `raising ${signal}`, input: `raise ${n}`, verdict: 'RE', signal }),
        ),
        { name: 'null pointer dereference', input: 'segv', verdict: 'RE', signal: 'SIGSEGV' },
        { name: 'integer division by zero', input: 'fpe', verdict: 'RE', signal: 'SIGFPE' },
        { name: 'abort()', input: 'abort', verdict: 'RE', signal: 'SIGABRT' },
        { name: '__builtin_trap()', input: 'trap', verdict: 'RE', signal: 'SIGILL' },
        { name: 'exit code 1', input: 'exit 1', verdict: 'RE', exitCode: 1, message: /^exit code 1$/ },
        { name: 'exit code 255', input: 'exit 255', verdict: 'RE', exitCode: 255, message: /^exit code 255$/ },
        answer(),
      ],
    },
  ];
}

function secretsGroup(expectedOutput: string): HostileGroup {
  return {
    title: 'secrets',
    language: 'python',
    source: SECRETS_PY,
    limits: LIMITS,
    tests: [
      {
        name: "its environment is the sandbox's, nothing of the worker's",
        input: 'env',
        expectedOutput: 'HOME LANG PATH PYTHONDONTWRITEBYTECODE TMPDIR',
        verdict: 'AC',
      },
      {
        // gVisor lets any process read /proc/1/environ: it holds Docker's variables, nothing of the worker's.
        name: "the harness's environment is unreadable, or only Docker's",
        input: 'harness-env',
        expectedOutput: { runc: 'denied', runsc: 'HOME HOSTNAME LANG PATH' },
        verdict: 'AC',
      },
      {
        // Had it found the expected output it would have printed it, and been accepted.
        name: "neither the test's expected output nor the worker's secret is anywhere it can read",
        input: 'search',
        expectedOutput,
        verdict: 'WA',
        stdout: /^not-found \d{2,}\n$/,
      },
    ],
  };
}

/**
 * System V shared memory outlives the process that made it, and the run: a child fills the sandbox
 * with segments it attaches, fills and detaches (so no process holds them), until something stops
 * it; the next test's input then has no room. Whatever is killed (the program or the harness), the
 * submission gets a verdict about itself and the worker goes on (issue #8; part 2 counts the memory).
 */
const SHM_FILL_PY = String.raw`
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmat.restype = ctypes.c_void_p
libc.shmdt.argtypes = [ctypes.c_void_p]
CHUNK = 1 << 20
if sys.stdin.readline().split()[0] == 'shm-fill':
    pid = os.fork()
    if pid == 0:
        for _ in range(1 << 16):
            segment = libc.shmget(0, CHUNK, 0o1600)
            if segment < 0: break
            address = libc.shmat(segment, None, 0)
            if address in (None, ctypes.c_void_p(-1).value): break
            ctypes.memset(address, 1, CHUNK)
            libc.shmdt(address)
        os._exit(0)
    os.waitpid(pid, 0)
print('answer')
`;

/**
 * A function problem's solution that writes its "result" itself, JSON nested 100,000 deep, to the
 * driver's result channel: the pipe that was stdout before the driver sent fd 1 to stderr.
 */
const DEEP_RESULT_PY = String.raw`
import os, stat
class Solution:
    def twoSum(self, nums, target):
        err = os.fstat(2)
        for fd in range(3, 64):
            try:
                st = os.fstat(fd)
            except OSError:
                continue
            if stat.S_ISFIFO(st.st_mode) and (st.st_dev, st.st_ino) != (err.st_dev, err.st_ino):
                os.write(fd, b'[' * 100000 + b']' * 100000 + b'\n')
                os._exit(0)
`;

/** An interactive submission that closes its input, then asks: the interactor answers into a pipe nobody reads. */
const CLOSE_STDIN_THEN_ASK_PY = "import os\nos.close(0)\nprint('? 5', flush=True)\n";

type NetworkProbe = Expectation & { name: string; input: (t: Targets) => string };
const blocked = (name: string, input: NetworkProbe['input']): NetworkProbe => ({ name, input, expectedOutput: 'blocked', verdict: 'AC' });
const NETWORK_PROBES: NetworkProbe[] = [
  { name: 'no interface but loopback', input: () => 'interfaces', expectedOutput: 'lo', verdict: 'AC' },
  blocked("no TCP to the Docker bridge's host address", (t) => `tcp ${t.bridge} ${t.tcpPort}`),
  blocked("no TCP to the host's Redis on 127.0.0.1:6379", () => 'tcp 127.0.0.1 6379'),
  blocked('no DNS answer from a server on the bridge address', (t) => `dns ${t.bridge} ${t.udpPort}`),
  blocked('no DNS answer from 127.0.0.1:53', () => 'dns 127.0.0.1 53'),
  blocked("no connection to the host's abstract unix sockets", (t) => `unix ${t.unixName}`),
  { name: 'no Docker socket', input: () => 'docker-socket', expectedOutput: 'absent', verdict: 'AC' },
];

function networkGroup(targets: Targets): HostileGroup {
  return {
    title: 'network',
    language: 'python',
    source: NETWORK_PY,
    limits: LIMITS,
    tests: NETWORK_PROBES.map((probe) => ({ ...probe, input: probe.input(targets) })),
  };
}

/**
 * Submissions that must not even compile, and the reason each must be given. The bombs grow in CPU
 * and memory at once, and which limit they reach first is not the point.
 */
const OVER_A_COMPILE_LIMIT = /^compilation exceeded its (CPU time|wall time|memory) limit/;
const COMPILE_ATTACKS: [title: string, language: string, source: string, message: RegExp][] = [
  ['a template instantiation bomb', 'cpp', TEMPLATE_BOMB_CPP, OVER_A_COMPILE_LIMIT],
  ['#include "/dev/urandom"', 'cpp', '#include "/dev/urandom"\nint main() {}\n', OVER_A_COMPILE_LIMIT],
  ['100 MB of compiler errors', 'cpp', ERROR_FLOOD_CPP, /^compilation produced more than 64 KiB of output$/],
  ['a Go build that never ends', 'go', GO_BUILD_FOREVER, /^compilation exceeded its (CPU time|wall time) limit/],
];

/** Listens on this machine's own addresses for anything a sandbox manages to send. */
class HostListeners {
  received = { tcp: 0, udp: 0, unix: 0 };
  private readonly tcp: Server = createServer((socket) => (this.received.tcp++, socket.destroy()));
  private readonly unix: Server = createServer((socket) => (this.received.unix++, socket.destroy()));
  private readonly udp = createSocket('udp4').on('message', (_message, from) => {
    this.received.udp++;
    this.udp.send('answer', from.port, from.address);
  });

  async start(bridge: string): Promise<Targets> {
    const unixName = `verdict-hostile-${hex(6)}`;
    await new Promise<void>((resolve) => this.tcp.listen(0, bridge, resolve));
    await new Promise<void>((resolve) => this.unix.listen(`\0${unixName}`, resolve));
    await new Promise<void>((resolve) => this.udp.bind(0, bridge, resolve));
    return { bridge, tcpPort: (this.tcp.address() as AddressInfo).port, udpPort: this.udp.address().port, unixName };
  }

  async stop(): Promise<void> {
    await Promise.all([
      new Promise((resolve) => this.tcp.close(resolve)),
      new Promise((resolve) => this.unix.close(resolve)),
      new Promise<void>((resolve) => this.udp.close(resolve)),
    ]);
  }
}

/**
 * The host's own address on Docker's default bridge: the network's gateway where dockerd records
 * one, else the first address of its subnet, which dockerd gives its bridge interface.
 */
async function bridgeHostAddress(docker: Docker): Promise<string> {
  const config: { Gateway?: string; Subnet?: string } | undefined = (await docker.getNetwork('bridge').inspect()).IPAM?.Config?.[0];
  if (config?.Gateway) return config.Gateway;
  const ipv4Subnet = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(config?.Subnet ?? '');
  if (!ipv4Subnet) throw new Error(`Docker's bridge network has neither a gateway nor an IPv4 subnet (${JSON.stringify(config)})`);
  const [a, b, c, d] = ipv4Subnet.slice(1, 5).map(Number);
  return [a, b, c, d + 1].join('.');
}

/** Host processes of these containers (their cgroup or command line names one), or named after the marker. */
function hostProcessesOf(containerIds: string[], marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let identity: string;
    try {
      identity = ['cgroup', 'cmdline', 'comm'].map((file) => readFileSync(`/proc/${pid}/${file}`, 'utf8')).join(' ');
    } catch {
      continue; // exited meanwhile
    }
    if (identity.includes(marker) || containerIds.some((id) => identity.includes(id))) {
      found.push(`${pid}: ${identity.replace(/\0/g, ' ').slice(0, 300)}`);
    }
  }
  return found;
}

/** Where Docker, containerd and the runtimes keep state per container on the host. */
const CONTAINER_STATE_DIRS = [
  '/var/lib/docker/containers',
  '/run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby',
  '/run/containerd/io.containerd.runtime.v2.task/moby',
  '/run/docker/runtime-runc/moby',
];

describe.each(RUNTIMES)('hostile submissions under %s', (runtime) => {
  const marker = `vh-${hex(4)}`;
  const expectedOutputNobodyMayRead = `verdict-expected-${hex(8)}`;
  const groups = [...cppGroups(marker), secretsGroup(expectedOutputNobodyMayRead)];
  const host = new HostListeners();
  // Only the languages the attacks are written in: no other language's start-up self-test has to
  // fit in the short compile limits below.
  const catalog = builtInCatalogFiles(['cpp', 'python', 'go']);
  const containerIds = new Set<string>();
  const results = new Map<string, Promise<SubmissionView>>();
  const result = (key: string) => results.get(key)!;
  let stack: VerdictStack;
  let containerEvents: NodeJS.ReadableStream & { destroy(): void };
  let stopped = false;

  beforeAll(async () => {
    stack = new VerdictStack({
      SANDBOX_RUNTIME: runtime === 'runc' ? '' : runtime,
      // A short compile CPU limit, so the compile-time bombs end soon. The catalog's self-tests and
      // HOSTILE_CPP must still fit: under gVisor a Go hello world takes about 3 s of CPU to build
      // (0.4 s under runc), so gVisor gets a limit several times that. The wall limit is the default
      // one, as a loaded host stretches wall time far more than CPU time.
      COMPILE_CPU_TIME_MS: runtime === 'runc' ? '5000' : '15000',
      COMPILE_WALL_TIME_MS: '30000',
      ...catalog,
    });
    if (!(await stack.docker.info()).Runtimes?.[runtime]) {
      throw new Error(`Docker has no runtime ${runtime}; bash deploy/verdict.sh setup registers runsc where it can`);
    }
    // Every container this stack creates, pre-started ones included, for the host checks at the end.
    containerEvents = (await stack.docker.getEvents({
      filters: { type: ['container'], event: ['create'], label: [`${OWNER_LABEL}=${stack.env.WORKER_ID}`] },
    })) as typeof containerEvents;
    let partial = '';
    containerEvents.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines.filter(Boolean)) containerIds.add(JSON.parse(line).id);
    });
    const bridge = await bridgeHostAddress(stack.docker);
    const targets = await host.start(bridge);
    await stack.start();

    // Everything at once, as a contest would send it; the worker's queue takes them in turn.
    const enqueue = (key: string, body: object) =>
      results.set(key, stack.submit(body).then((id) => stack.waitForResult(id, { timeoutMs: 300000 })));
    for (const group of [...groups, networkGroup(targets)]) {
      const tests = group.tests.map((test) => ({
        input: `${test.input}\n`,
        expectedOutput: under(test.expectedOutput ?? 'answer', runtime),
      }));
      enqueue(group.title, { language: group.language, source: group.source, limits: group.limits, tests });
    }
    for (const [title, language, source] of COMPILE_ATTACKS) {
      enqueue(title, { language, source, tests: [{ input: '', expectedOutput: '' }] });
    }
    enqueue('a full disk, then a larger input', {
      language: 'cpp',
      source: HOSTILE_CPP,
      limits: FILL_LIMITS,
      tests: [
        { input: 'fill-disk\n', expectedOutput: 'full' },
        { input: `answer ${' '.repeat(64 * 1024)}\n`, expectedOutput: 'answer' },
      ],
    });
    enqueue('System V shared memory fills the sandbox', {
      language: 'python',
      source: SHM_FILL_PY,
      limits: FILL_LIMITS,
      tests: [
        { input: 'shm-fill\n', expectedOutput: 'answer' },
        { input: `answer ${' '.repeat(1024 * 1024)}\n`, expectedOutput: 'answer' },
        { input: 'answer\n', expectedOutput: 'answer' },
      ],
    });
    for (const example of ['two-sum', 'guess-number']) {
      // Full feedback: the attacks' messages on hidden tests are what these tests check.
      const published = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, example), { feedback: 'full' }));
      if (published.status !== 201) throw new Error(`publishing ${example}: ${JSON.stringify(published.body)}`);
    }
    enqueue('a function result nested 100,000 deep', { problemId: 'two-sum', language: 'python', source: DEEP_RESULT_PY });
    enqueue('an interactive submission that closes its input, then asks', { problemId: 'guess-number', language: 'python', source: CLOSE_STDIN_THEN_ASK_PY });
    // The second submission starts once the first is judged: a sandbox of its own, after the other's.
    const markers = { language: 'python', source: MARKER_PY, limits: LIMITS };
    results.set('plant', stack.judge({ ...markers, tests: [{ input: `plant ${marker}`, expectedOutput: '/work /tmp /dev/shm' }] }));
    results.set('look', result('plant').then(() => stack.judge({ ...markers, tests: [{ input: `look ${marker}`, expectedOutput: 'none' }] })));
  });

  afterAll(async () => {
    await Promise.allSettled(results.values());
    if (!stopped) await stack?.stop();
    await host.stop();
    containerEvents?.destroy();
    removeCatalogFiles(catalog);
  });

  describe.each(groups.map((group) => [group.title, group] as const))('%s', (title, group) => {
    it.each(group.tests.map((test, index) => [test.name, test, index] as const))('%s', async (_name, test, index) => {
      expectJudged(await result(title), index, test, runtime);
    });
  });

  describe('network', () => {
    it.each(NETWORK_PROBES.map((probe, index) => [probe.name, probe, index] as const))('%s', async (_name, probe, index) => {
      expectJudged(await result('network'), index, probe, runtime);
    });

    it('nothing reached the listeners on the host', async () => {
      await result('network');
      expect(host.received).toEqual({ tcp: 0, udp: 0, unix: 0 });
    });
  });

  describe('files', () => {
    it('only the tmpfs mounts are writable, not the read-only root', async () => {
      const plant = await result('plant');
      expect(plant).toMatchObject({ verdict: 'AC', tests: [{ stdout: '/work /tmp /dev/shm\n' }] });
    });

    it("a later submission sees none of an earlier one's files", async () => {
      expect(await result('look')).toMatchObject({ verdict: 'AC', tests: [{ stdout: 'none\n' }] });
    });
  });

  // Inputs go to the harness's private area, which a program cannot fill (docs/security.md).
  it('a test after one that filled /work, with a larger input, is still judged', async () => {
    const judged = await result('a full disk, then a larger input');
    expect(judged).toMatchObject({ status: 'completed', tests: [{ verdict: 'AC' }, { verdict: 'AC' }] });
  });

  describe('compile-time attacks end as CE with the reason, not as a failure of the judge', () => {
    it.each(COMPILE_ATTACKS)('%s', async (title, _language, _source, message) => {
      const judged = await result(title);
      expect(judged).toMatchObject({ status: 'completed', verdict: 'CE', tests: [] });
      expect(judged.message).toMatch(message);
      expect(judged.compileOutput!.length).toBeLessThan(70 * 1024);
      if (title === '100 MB of compiler errors') expect(judged.compileOutput).toMatch(/\n\[compiler output truncated at 64 KiB\]$/);
    });
  });

  describe('what a user controls never makes an internal error or stops the worker', () => {
    it('System V shared memory filling the sandbox: a verdict about the submission, every time', async () => {
      const judged = await result('System V shared memory fills the sandbox');
      expect({ status: judged.status, message: judged.message }).toMatchObject({ status: 'completed' });
      // Under runc no segment outlives its last detach (kernel.shm_rmid_forced), so the filling
      // never ends and the CPU limit stops it (TLE); under gVisor the segments add up and the run
      // is charged them (MLE), or the OOM killer picks its victim: the program (RE, killed) or
      // the harness (MLE, with why).
      expect(['MLE', 'RE', 'TLE']).toContain(judged.verdict);
      for (const test of judged.tests) {
        expect(['AC', 'MLE', 'RE', 'TLE']).toContain(test.verdict);
        // Docker says whether the OOM killer ended the harness (MLE); gVisor's sandbox may end otherwise (RE).
        if (/harness/.test(test.message)) {
          expect(test.message).toMatch(/^(the submission exhausted its sandbox's memory, and the kernel's out-of-memory killer ended the judge's harness|the submission destroyed its sandbox: the judge's harness ended \(exit code \d+\))/);
        }
      }
    });

    it('a function result nested 100,000 deep is WA with the reason', async () => {
      const judged = await result('a function result nested 100,000 deep');
      expect(judged).toMatchObject({ status: 'completed', verdict: 'WA' });
      expect(judged.tests[0].message).toMatch(/the returned value is nested deeper than 1000 levels/);
    });

    it("an interactive submission that closes its input and then asks gets the interactor's verdict, never IE", async () => {
      const judged = await result('an interactive submission that closes its input, then asks');
      expect({ status: judged.status, message: judged.message }).toMatchObject({ status: 'completed' });
      // Its guess is out of range (WA) or wrong, and then it is gone: "got the end of the output" (PE).
      const verdicts = new Set([judged.verdict, ...judged.tests.map((test) => test.verdict)]);
      expect([...verdicts].filter((verdict) => verdict !== 'WA' && verdict !== 'PE')).toEqual([]);
    });
  });

  describe('afterwards', () => {
    it("no result shows the worker's secret", async () => {
      for (const judged of await Promise.all(results.values())) expect(JSON.stringify(judged)).not.toContain(SECRET);
    });

    it('the worker still judges an ordinary submission', async () => {
      await Promise.allSettled(results.values());
      const ordinary = await stack.judge({
        language: 'python',
        source: 'print(sum(map(int, input().split())))\n',
        tests: [{ input: '2 3\n', expectedOutput: '5\n' }],
      });
      expect(ordinary.verdict).toBe('AC');
    });

    it('no container, host process, runtime state or file is left behind', async () => {
      await Promise.allSettled(results.values());
      expect(await stack.leftoverContainers()).toEqual([]);
      stopped = true;
      await stack.stop(); // removes the pre-started containers too
      const ids = [...containerIds];
      expect(ids.length).toBeGreaterThan(groups.length);
      const owned = { all: true, filters: { label: [`${OWNER_LABEL}=${stack.env.WORKER_ID}`] } };
      expect(await stack.docker.listContainers(owned)).toEqual([]);
      // Docker reports a container removed once it is gone; the runtime's own processes may take a moment longer.
      let processes = hostProcessesOf(ids, marker);
      for (let attempt = 0; processes.length > 0 && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        processes = hostProcessesOf(ids, marker);
      }
      expect(processes).toEqual([]);
      expect(CONTAINER_STATE_DIRS.flatMap((dir) => ids.map((id) => `${dir}/${id}`)).filter(existsSync)).toEqual([]);
      expect(['/tmp', '/dev/shm'].map((dir) => `${dir}/${marker}`).filter(existsSync)).toEqual([]);
    });
  });
});

function expectJudged(submission: SubmissionView, index: number, expected: Expectation, runtime: Runtime): void {
  expect(submission.status).toBe('completed');
  const test = submission.tests[index];
  const verdict = under(expected.verdict, runtime);
  // The message comes along so that a wrong verdict shows why it was given.
  expect({ verdict: test.verdict, message: test.message }).toMatchObject({
    verdict,
    ...(expected.message && { message: expect.stringMatching(expected.message) }),
  });
  const ended = { signal: test.signal, exitCode: test.exitCode };
  if (expected.signal) expect(ended).toEqual({ signal: expected.signal, exitCode: null });
  if (expected.exitCode !== undefined) expect(ended).toEqual({ signal: null, exitCode: expected.exitCode });
  if (verdict === 'OLE') expect(test.stdoutTruncated || test.stderrTruncated).toBe(true);
  if (verdict === 'AC') expect(test.stdout.trim()).toBe(under(expected.expectedOutput ?? 'answer', runtime));
  if (expected.stdout) expect(test.stdout).toMatch(expected.stdout);
  if (expected.minMemoryKb !== undefined) expect(test.memoryKb).toBeGreaterThan(expected.minMemoryKb);
  if (expected.maxMemoryKb !== undefined) expect(test.memoryKb).toBeLessThan(expected.maxMemoryKb);
}
