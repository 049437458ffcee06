import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VerdictStack } from './support/verdict-stack';

/**
 * What the judge measures (issue #3, "measurement that can be trusted"), end to end through the
 * HTTP API: the CPU time, peak memory and verdicts a contestant sees must mean what they say, in
 * every language, however the runtime manages its memory or processes. Every program here knows
 * how much it consumed (it allocates a known amount, or loops until its own CPU clock says so),
 * so the judge's figures are checked against ground truth, not against themselves.
 */

const MiB_KB = 1024;
const run = promisify(execFile);

type Limits = { cpuTimeMs?: number; wallTimeMs?: number; memoryMb?: number; outputKb?: number };
type Test = { input: string; expectedOutput: string };

/** Every program in this file prints "ok" when it got to the end, so AC also proves it did. */
const OK = { expectedOutput: 'ok\n' };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Standard deviation over mean: the textbook CV, logged for comparison. */
const coefficientOfVariation = (xs: number[]): number => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance) / mean;
};

/**
 * The same CV with the median absolute deviation in place of the standard deviation (scaled by
 * 1.4826 so both agree for normally distributed data). The textbook CV of 20 runs on a shared
 * machine is decided by where 1-3 noise bursts happened to fall, host side or judge side; the MAD
 * ignores them and measures the spread of ordinary runs, which a judge adding variation would widen.
 */
const robustCoefficientOfVariation = (xs: number[]): number => {
  const m = median(xs);
  return (1.4826 * median(xs.map((x) => Math.abs(x - m)))) / m;
};

/**
 * Allocate `input` MiB and write every page of it, so all of it is resident. The first test of
 * each submission allocates nothing: its peak is the runtime's own baseline (interpreter, libc,
 * libstdc++, Go runtime) measured by the same judge in the same container, and the second test's
 * peak minus that baseline is what the program itself used. That is fairer than assuming a baseline:
 * here Python's is ~8 MB, C++'s and Go's ~1.4 MB, and each depends on the image.
 */
const ALLOCATE_MIB: Record<string, string> = {
  cpp: [
    '#include <cstdio>',
    '#include <cstdlib>',
    'int main() {',
    '  size_t n; if (scanf("%zu", &n) != 1) return 2;',
    '  n <<= 20;',
    // volatile: the optimizer must not drop stores whose contents nothing reads
    '  volatile char *p = (volatile char *)malloc(n ? n : 1);',
    '  if (!p) return 1;',
    '  for (size_t i = 0; i < n; i += 4096) p[i] = 1;',
    '  puts("ok");',
    '}',
  ].join('\n'),
  // bytearray repetition fills every byte (a bare bytearray(n) or bytes(n) may come from calloc's
  // untouched zero pages and never be resident).
  python: ['n = int(input())', 'x = bytearray(b"\\x01") * (n << 20)', 'print("ok")'].join('\n'),
  go: [
    'package main',
    'import "fmt"',
    'func main() {',
    '  var n int',
    '  fmt.Scan(&n)',
    '  b := make([]byte, n<<20)',
    '  for i := 0; i < len(b); i += 4096 { b[i] = 1 }',
    '  fmt.Println("ok")',
    '}',
  ].join('\n'),
};

/**
 * Burn `input` ms of CPU time: loop until the process's own CPU clock says so. The clock is the
 * kernel's account of the process since its fork, start-up included (exec, dynamic linking,
 * interpreter start), as is the judge's rusage; in the sandbox it may lag by up to one scheduler
 * tick (see the fixed-work test), so a loop overshoots by a few ms at most.
 */
const BURN_MS: Record<string, string> = {
  cpp: [
    '#include <cstdio>',
    '#include <ctime>',
    'static long long cpu_ms() { timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1000LL + t.tv_nsec / 1000000; }',
    'int main() { long long ms; if (scanf("%lld", &ms) != 1) return 2; volatile unsigned long x = 0; while (cpu_ms() < ms) for (int i = 0; i < 1000; i++) x++; puts("ok"); }',
  ].join('\n'),
  python: ['import time', 'ms = int(input())', 'while time.process_time() * 1000 < ms:', '    pass', 'print("ok")'].join('\n'),
  go: [
    'package main',
    'import ("fmt"; "syscall")',
    // RUSAGE_SELF covers every thread of the process, the runtime's (GC, sysmon) included.
    'func cpuMs() int64 { var ru syscall.Rusage; syscall.Getrusage(syscall.RUSAGE_SELF, &ru); return (ru.Utime.Nano() + ru.Stime.Nano()) / 1e6 }',
    'func main() { var ms int64; fmt.Scan(&ms); x := 0; for cpuMs() < ms { for i := 0; i < 1000; i++ { x++ } }; _ = x; fmt.Println("ok") }',
  ].join('\n'),
};

/** C++ helper shared by the child-process programs: burn `ms` of this process's own CPU time. */
const CPP_BURN = [
  '#include <cstdio>',
  '#include <ctime>',
  '#include <sys/wait.h>',
  '#include <unistd.h>',
  'static long long cpu_ms() { timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1000LL + t.tv_nsec / 1000000; }',
  'static void burn(long long ms) { volatile unsigned long x = 0; while (cpu_ms() < ms) for (int i = 0; i < 1000; i++) x++; }',
].join('\n');

/**
 * Fixed work, the same on the host and in the judge: ~140 ms of xorshift on this machine. Printing
 * the sum keeps the loop; stderr gets the program's own CPU time (exact rusage) when it is done.
 */
const FIXED_WORK_CPP = [
  '#include <cstdio>',
  '#include <sys/resource.h>',
  'int main() {',
  '  unsigned long long x = 88172645463325252ull, s = 0;',
  '  for (long i = 0; i < 60000000L; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; s += x >> 60; }',
  '  rusage ru; getrusage(RUSAGE_SELF, &ru);',
  '  printf("%llu\\n", s);',
  '  fprintf(stderr, "own_us=%ld\\n", (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);',
  '}',
].join('\n');

/** Runs argv[1] and reports its user+sys CPU time from wait4, as the judge's harness does. */
const RUSAGE_WRAPPER_C = [
  '#include <stdio.h>',
  '#include <sys/resource.h>',
  '#include <sys/wait.h>',
  '#include <unistd.h>',
  'int main(int argc, char **argv) {',
  '  (void)argc;',
  '  pid_t pid = fork();',
  '  if (pid == 0) { execv(argv[1], argv + 1); _exit(127); }',
  '  int status; struct rusage ru;',
  '  if (wait4(pid, &status, 0, &ru) != pid) return 1;',
  '  fprintf(stderr, "rusage_us=%ld\\n", (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);',
  '  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;',
  '}',
].join('\n');

describe('measurement, end to end through the API', () => {
  const stack = new VerdictStack();

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  const judge = (language: string, source: string, tests: Test[], limits: Limits = {}) =>
    stack.judge({ language, source, tests, limits: { cpuTimeMs: 5000, wallTimeMs: 15000, memoryMb: 256, ...limits }, checker: { type: 'tokens' } });

  describe('peak memory', () => {
    it.each(['cpp', 'python', 'go'])('%s: a program that touches 100 MiB is reported at 100 MiB (within 10%) above its runtime baseline', async (language) => {
      const result = await judge(language, ALLOCATE_MIB[language], [
        { input: '0\n', ...OK },
        { input: '100\n', ...OK },
      ]);
      expect(result.verdict).toBe('AC');
      const [baseline, allocated] = result.tests.map((t) => t.memoryKb);
      console.log(`${language}: baseline ${baseline} KiB, with 100 MiB ${allocated} KiB, difference ${allocated - baseline} KiB`);
      expect(allocated - baseline).toBeGreaterThanOrEqual(100 * MiB_KB * 0.9);
      expect(allocated - baseline).toBeLessThanOrEqual(100 * MiB_KB * 1.1);
    });
  });

  describe('CPU time', () => {
    it.each(['cpp', 'python', 'go'])('%s: a loop that runs until its own CPU clock reads 500 ms is reported at 500 ms (within 10%)', async (language) => {
      const result = await judge(language, BURN_MS[language], [{ input: '500\n', ...OK }]);
      expect(result.verdict).toBe('AC');
      const cpu = result.tests[0].cpuTimeMs;
      console.log(`${language}: 500 ms loop reported ${cpu} ms CPU, ${result.tests[0].wallTimeMs} ms wall`);
      expect(cpu).toBeGreaterThanOrEqual(450);
      expect(cpu).toBeLessThanOrEqual(550);
    });

    /*
     * A program cannot dodge the CPU limit by doing its work in other processes: their user+sys time
     * is the program's. Each child burns 300 ms of its own CPU clock; the parent burns nothing.
     */
    it.each([
      {
        name: 'a child it waits for',
        main: 'int main() { pid_t c = fork(); if (c == 0) { burn(300); _exit(0); } waitpid(c, nullptr, 0); puts("ok"); }',
      },
      {
        name: 'a grandchild its child waits for',
        main: [
          'int main() {',
          '  pid_t c = fork();',
          '  if (c == 0) { pid_t g = fork(); if (g == 0) { burn(300); _exit(0); } waitpid(g, nullptr, 0); _exit(0); }',
          '  waitpid(c, nullptr, 0); puts("ok");',
          '}',
        ].join('\n'),
      },
      {
        // The child is left a zombie for the judge to reap: its CPU time must not vanish with it.
        name: 'a child it never waits for',
        main: [
          'int main() {',
          '  int p[2]; if (pipe(p)) return 1;',
          '  pid_t c = fork();',
          '  if (c == 0) { close(p[0]); burn(300); _exit(0); }',
          '  close(p[1]); char b; while (read(p[0], &b, 1) > 0) {}', // EOF: the child has exited
          '  puts("ok");',
          '}',
        ].join('\n'),
      },
    ])('C++: CPU time includes $name', async ({ name, main }) => {
      const result = await judge('cpp', `${CPP_BURN}\n${main}\n`, [{ input: '', ...OK }]);
      expect(result.verdict).toBe('AC');
      const cpu = result.tests[0].cpuTimeMs;
      console.log(`300 ms burnt by ${name}: reported ${cpu} ms CPU`);
      expect(cpu).toBeGreaterThanOrEqual(300);
      // The parents only fork and wait; nothing but start-up comes on top of the child's 300 ms.
      expect(cpu).toBeLessThanOrEqual(300 * 1.1);
    });

    it('Python: CPU time includes a child process it waits for', async () => {
      const source = [
        'import os, time',
        'pid = os.fork()',
        'if pid == 0:',
        '    while time.process_time() < 0.3:',
        '        pass',
        '    os._exit(0)',
        'os.waitpid(pid, 0)',
        'print("ok")',
      ].join('\n');
      const result = await judge('python', source, [{ input: '', ...OK }]);
      expect(result.verdict).toBe('AC');
      console.log(`300 ms burnt by a Python child: reported ${result.tests[0].cpuTimeMs} ms CPU`);
      // process_time() in the child counts from its fork; the parent's interpreter start-up (~20 ms) comes on top.
      expect(result.tests[0].cpuTimeMs).toBeGreaterThanOrEqual(300);
      // Counted twice, it would be 600 ms or more; the room above 330 is for a loaded host's start-up.
      expect(result.tests[0].cpuTimeMs).toBeLessThanOrEqual(300 * 1.1 + 150);
    });
  });

  /*
   * A contestant resubmitting the same code must get the same time, as nearly as the machine
   * allows: the judge may add no variation of its own. The yardstick is the same binary (same g++
   * 12, same flags) run directly on this host and measured as the harness measures: user+sys from
   * wait4's rusage, through a tiny wrapper (Node cannot get a child's rusage; process.cpuUsage() is
   * Node's own). The machine is shared and noisy, so host and judge runs alternate and see the same
   * noise; each host run waits until the previous sandbox container is gone, so it does not share
   * the machine with a container teardown that no judged run overlaps.
   */
  describe('the same fixed work, run 20 times on the host and 20 times through the judge, interleaved', () => {
    type Sample = { cpuTimeMs: number; ownMs: number };
    const host: Sample[] = [];
    const judged: Sample[] = [];
    let dir = '';

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'verdict-measurement-'));
      writeFileSync(join(dir, 'main.cpp'), FIXED_WORK_CPP);
      writeFileSync(join(dir, 'rusage.c'), RUSAGE_WRAPPER_C);
      // The judge's flags (libs/languages/src/languages.json); the image's g++ is the host's g++ 12.
      await run('g++', ['-std=gnu++17', '-O2', '-pipe', '-o', join(dir, 'main'), join(dir, 'main.cpp')]);
      await run('gcc', ['-O2', '-o', join(dir, 'rusage'), join(dir, 'rusage.c')]);
      const own = (stderr: string) => Number(/own_us=(\d+)/.exec(stderr)![1]) / 1000;
      const hostRun = async (): Promise<Sample & { stdout: string }> => {
        expect(await stack.leftoverContainers(30000)).toEqual([]);
        const { stdout, stderr } = await run(join(dir, 'rusage'), [join(dir, 'main')]);
        return { stdout, cpuTimeMs: Number(/rusage_us=(\d+)/.exec(stderr)![1]) / 1000, ownMs: own(stderr) };
      };
      // The first host run gives the expected output, so every judged run must be AC.
      const { stdout: expectedOutput } = await hostRun();
      const judgeRun = async (): Promise<Sample> => {
        const result = await judge('cpp', FIXED_WORK_CPP, [{ input: '', expectedOutput }]);
        expect(result.verdict).toBe('AC'); // the same program doing the same work
        return { cpuTimeMs: result.tests[0].cpuTimeMs, ownMs: own(result.tests[0].stderr) };
      };

      await judgeRun(); // untimed: the first container and the first run warm caches, like the first host run
      for (let i = 0; i < 20; i++) {
        host.push(await hostRun());
        judged.push(await judgeRun());
      }
      const extra = (xs: Sample[]) => fmt(xs.map((x) => x.cpuTimeMs - x.ownMs), 2);
      console.log(
        `fixed work, 20 interleaved runs, CPU ms: host ${fmt(host.map((x) => x.cpuTimeMs))}; judge ${fmt(judged.map((x) => x.cpuTimeMs))}\n` +
          `reported minus the program's own rusage, ms: host ${extra(host)}; judge ${extra(judged)}`,
      );
    }, 600000); // 41 judged runs and 21 host runs, one at a time

    afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

    /*
     * The exact part of "adds no variation": in the same run, what the judge reports against what
     * the program's own getrusage(RUSAGE_SELF) said just before it printed. The difference is exec,
     * dynamic linking and exit, 0.2-0.5 ms on this host, and must stay that small: as small as the
     * same difference on the host in the same run, give or take a burst of the machine's own noise
     * (one run in CI took 2.2 ms while the host's worst was close to it). (Not the
     * program's CLOCK_PROCESS_CPUTIME_ID: under the harness's RLIMIT_CPU backstop the kernel serves
     * that clock from the process-wide timer accumulator, which lags by up to a scheduler tick,
     * measured 0.4-3.7 ms; rusage and the thread clock stay exact.)
     */
    it('the judge reports the program\'s own CPU time plus only its start-up and exit, as on the host', () => {
      const extra = (xs: Sample[]) => xs.map((x) => x.cpuTimeMs - x.ownMs);
      for (const ms of extra(judged)) expect(ms).toBeGreaterThanOrEqual(0);
      // Typically: 0.2-0.5 ms either way. Counting anything of the harness's (its fork, its waits)
      // or another process would add whole milliseconds to every run, moving the median.
      expect(median(extra(judged))).toBeLessThan(median(extra(host)) + 1);
      for (const ms of extra(judged)) expect(ms).toBeLessThan(Math.max(...extra(host)) + 2);
    });

    /*
     * The statistical part: the judge must not make the program itself more variable (a harness
     * stealing its core, a cgroup throttling it, ...). Issue #3's "CV through the judge at most 1.2x
     * the host's" cannot be asserted literally on 20 runs: two 20-run estimates of one and the same
     * distribution differ by more than 1.2x 22% of the time with the standard deviation and 31% with
     * the MAD (simulated, normal data), and more often here, where a few runs in 20 are hit by a
     * burst of someone else's work and take 10-25 ms more CPU (measured: textbook CV ratios from 0.3
     * to 3.0 with nothing wrong). So: the robust CV, 1.2x, times 2 for sampling (two 20-run MADs of
     * one distribution differ by 2.4x or more ~1% of the time), plus half a percentage point for a
     * quiet machine whose host CV can be 0.3% (0.4 ms). A judge adding variation comparable to the
     * machine's own still fails; the exact test above pins down what the judge itself adds.
     */
    it('varies no more through the judge than on the host', () => {
      const cv = {
        host: coefficientOfVariation(host.map((x) => x.cpuTimeMs)),
        judge: coefficientOfVariation(judged.map((x) => x.cpuTimeMs)),
      };
      const robust = {
        host: robustCoefficientOfVariation(host.map((x) => x.cpuTimeMs)),
        judge: robustCoefficientOfVariation(judged.map((x) => x.cpuTimeMs)),
      };
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      console.log(`CV host ${pct(cv.host)}, judge ${pct(cv.judge)}; robust CV host ${pct(robust.host)}, judge ${pct(robust.judge)}`);
      expect(robust.judge).toBeLessThanOrEqual(robust.host * 1.2 * 2 + 0.005);
    });
  });

  /*
   * Memory limits are on what a program really uses (peak RSS), not on address space: Go reserves
   * hundreds of MB of virtual memory at start-up, and programs may map large untouched regions. A
   * limit on virtual memory would fail correct Go programs; a limit that missed real use would
   * accept wrong ones.
   */
  describe('memory limit verdicts', () => {
    it.each([
      { language: 'go', name: 'a plain program (the runtime reserves large address space)', memoryMb: 64, verdict: 'AC', source: 'package main\nimport "fmt"\nfunc main() { fmt.Println("ok") }\n' },
      {
        language: 'go',
        name: '4 GiB of address space reserved, never touched',
        memoryMb: 64,
        verdict: 'AC',
        source: [
          'package main',
          'import ("fmt"; "syscall")',
          'func main() {',
          '  b, err := syscall.Mmap(-1, 0, 4<<30, syscall.PROT_NONE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)',
          '  if err != nil { panic(err) }',
          '  fmt.Println("ok", len(b) > 0)',
          '}',
        ].join('\n'),
        expectedOutput: 'ok true\n',
      },
      {
        language: 'go',
        name: 'a 300 MiB heap, every page written',
        memoryMb: 128,
        verdict: 'MLE',
        source: 'package main\nimport "fmt"\nfunc main() { b := make([]byte, 300<<20); for i := 0; i < len(b); i += 4096 { b[i] = 1 }; fmt.Println("ok", b[len(b)-4096]) }\n',
      },
      { language: 'python', name: 'a plain program', memoryMb: 64, verdict: 'AC', source: 'print("ok")\n' },
      {
        language: 'python',
        name: '4 GiB of address space reserved, never touched',
        memoryMb: 64,
        verdict: 'AC',
        source: 'import mmap\nm = mmap.mmap(-1, 4 << 30, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ)\nprint("ok")\n',
      },
      { language: 'python', name: 'a 300 MiB bytearray, every byte written', memoryMb: 128, verdict: 'MLE', source: 'x = bytearray(b"\\x01") * (300 << 20)\nprint("ok")\n' },
      {
        // The contest habit: a global array sized for the largest input, mostly unused.
        language: 'cpp',
        name: 'a 1 GiB global array, one page written',
        memoryMb: 64,
        verdict: 'AC',
        source: '#include <cstdio>\nstatic char a[1 << 30];\nint main() { a[12345] = 1; puts(a[12345] ? "ok" : "no"); }\n',
      },
      // The JVM and Node get 64 MB above the limit for their own footprint (catalog: limits.extraMemoryMb),
      // and a heap bounded by the whole run limit (-Xmx, --max-old-space-size), so a heap that
      // really grows passes the peak-RSS limit before the runtime's own bound. 128 MB, so that their
      // baselines (~36 and ~48 MB) stay under half of it, as this table asks of accepted programs.
      {
        language: 'java',
        name: 'a plain program (the JVM reserves over 1 GiB of address space: heap, code cache, class space)',
        memoryMb: 128,
        verdict: 'AC',
        source: 'public class Main { public static void main(String[] args) { System.out.println("ok"); } }\n',
      },
      {
        language: 'java',
        name: '1 GiB of garbage in 1 MiB arrays, one live at a time',
        memoryMb: 128,
        verdict: 'AC',
        source: 'public class Main { public static void main(String[] args) { long sum = 0; for (int i = 0; i < 1024; i++) { byte[] b = new byte[1 << 20]; b[i] = 1; sum += b[i]; } System.out.println(sum == 1024 ? "ok" : "no"); } }\n',
      },
      {
        language: 'java',
        name: 'a 300 MiB heap of 1 MiB arrays, kept (the JVM zeroes every page)',
        memoryMb: 128,
        verdict: 'MLE',
        source: 'import java.util.*;\npublic class Main { public static void main(String[] args) { List<byte[]> kept = new ArrayList<>(); for (int i = 0; i < 300; i++) kept.add(new byte[1 << 20]); System.out.println("ok"); } }\n',
      },
      {
        // Never resident: the JVM refuses an object larger than its heap may grow (-Xmx, the limit)
        // and dies of OutOfMemoryError, which the language's memoryErrorMarkers make an MLE.
        language: 'java',
        name: 'one 300 MiB array, more than -Xmx allows',
        memoryMb: 128,
        verdict: 'MLE',
        source: 'public class Main { public static void main(String[] args) { byte[] b = new byte[300 << 20]; System.out.println("ok" + b.length); } }\n',
      },
      { language: 'javascript', name: 'a plain program', memoryMb: 128, verdict: 'AC', source: 'console.log("ok");\n' },
      {
        language: 'javascript',
        name: 'a 1 GiB ArrayBuffer, never touched',
        memoryMb: 128,
        verdict: 'AC',
        source: 'const b = new ArrayBuffer(1 << 30);\nconsole.log(b.byteLength === 1 << 30 ? "ok" : "no");\n',
      },
      {
        language: 'javascript',
        name: 'a 300 MiB V8 heap of arrays, kept, every element written',
        memoryMb: 128,
        verdict: 'MLE',
        source: 'const kept = [];\nfor (let i = 0; i < 300; i++) kept.push(new Array(1 << 17).fill(i));\nconsole.log("ok");\n',
      },
      {
        language: 'javascript',
        name: 'a 300 MiB Buffer (outside the V8 heap), every byte written',
        memoryMb: 128,
        verdict: 'MLE',
        source: 'const b = Buffer.alloc(300 << 20, 1);\nconsole.log("ok", b[b.length - 1]);\n',
      },
    ])('$language, $name, under $memoryMb MB: $verdict', async ({ language, name, source, memoryMb, verdict, expectedOutput }) => {
      const result = await judge(language, source, [{ input: '', expectedOutput: expectedOutput ?? 'ok\n' }], { memoryMb });
      // The whole result on failure: which limit, what peak, what message.
      expect(result).toMatchObject({ verdict });
      console.log(`${language}, ${name}, limit ${memoryMb} MB: ${result.verdict}, peak ${result.tests[0].memoryKb} KiB ${result.tests[0].message ?? ''}`);
      // An MLE is a peak over the limit, or a runtime that ran out of the heap the limit gave it.
      if (verdict === 'MLE' && !/the runtime reported/.test(result.tests[0].message)) expect(result.tests[0].memoryKb).toBeGreaterThan(memoryMb * MiB_KB);
      else expect(result.tests[0].memoryKb).toBeLessThan(memoryMb * MiB_KB * 0.5);
    });
  });

  /*
   * The stack limit defaults to the memory limit (SANDBOX_STACK_MB=0), so recursion is limited by
   * memory like everything else: a DFS a million levels deep that fits in memory is accepted. Under
   * the usual 8 MB stack this program would die of SIGSEGV at ~75,000 levels.
   */
  describe('stack', () => {
    it('C++: recursion 1e6 deep with 112-byte frames (107 MiB of stack) under 256 MB is accepted', async () => {
      const source = [
        '#include <cstdio>',
        // The volatile array makes each frame 112 bytes (g++ -O2: 96 + return address, 16-aligned), the
        // addition after the call keeps the recursion from becoming a loop, and noinline keeps g++
        // from unrolling four levels into one frame (which it does, at 68 bytes a level).
        '__attribute__((noinline)) int depth(int n) { volatile char pad[96]; pad[0] = (char)n; if (n == 0) return 0; return depth(n - 1) + (pad[0] & 1); }',
        'int main() { int n; if (scanf("%d", &n) != 1) return 2; printf("%d\\n", depth(n)); }',
      ].join('\n');
      const result = await judge('cpp', source, [{ input: '1000000\n', expectedOutput: '500000\n' }], { memoryMb: 256 });
      expect(result).toMatchObject({ verdict: 'AC' });
      // 1e6 frames of 112 bytes are 107 MiB: the stack is real memory, counted as such.
      console.log(`recursion 1e6 deep: ${result.tests[0].memoryKb} KiB peak`);
      expect(result.tests[0].memoryKb).toBeGreaterThan(100 * MiB_KB);
    });
  });
});

function fmt(xs: number[], digits = 1): string {
  return `[${xs.map((x) => x.toFixed(digits)).join(', ')}]`;
}
