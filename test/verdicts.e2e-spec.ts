import { SubmissionView, Verdict } from '@verdict/contracts';
import { VerdictStack } from './support/verdict-stack';

/**
 * Every verdict in every language, judged end to end: HTTP -> queue -> worker -> Docker sandbox ->
 * result stream -> store -> HTTP. Each case is a program a contestant could really send.
 */
type Case = { verdict: Verdict; source: string; limits?: Record<string, number>; expectMessage?: RegExp; expectSignal?: string; expectExitCode?: number };

const APLUSB_TESTS = [
  { input: '1 2\n', expectedOutput: '3\n' },
  { input: '-5 10\n', expectedOutput: '5\n' },
  { input: '1000000000 1000000000\n', expectedOutput: '2000000000\n' },
];

/**
 * A memory hog's page faults, and the reclaim and garbage collection near its limit, take CPU that a
 * loaded host stretches: room enough that the memory limit, not the CPU limit, is what stops it.
 */
const MEMORY_HOG_LIMITS = { memoryMb: 64, cpuTimeMs: 3000, wallTimeMs: 6000 };

const PROGRAMS: Record<string, Record<string, Case>> = {
  python: {
    accepted: { verdict: 'AC', source: 'a, b = map(int, input().split())\nprint(a + b)\n' },
    wrongAnswer: { verdict: 'WA', source: 'a, b = map(int, input().split())\nprint(a + b + 1)\n', expectMessage: /token 1: expected/ },
    cpuLoop: { verdict: 'TLE', source: 'while True:\n    pass\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: 'import time\ntime.sleep(60)\n', expectMessage: /wall time limit/ },
    memory: { verdict: 'MLE', source: 'x = bytearray(1024 * 1024 * 1024)\nprint(len(x))\n', limits: MEMORY_HOG_LIMITS },
    exitCode: { verdict: 'RE', source: 'import sys\nsys.exit(3)\n', expectExitCode: 3 },
    signal: { verdict: 'RE', source: 'import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n', expectSignal: 'SIGSEGV' },
    compileError: { verdict: 'CE', source: 'def broken(:\n    pass\n' },
    outputFlood: { verdict: 'OLE', source: 'import sys\nwhile True:\n    sys.stdout.write("x" * 65536)\n', limits: { outputKb: 64 } },
  },
  cpp: {
    accepted: { verdict: 'AC', source: '#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}\n' },
    wrongAnswer: { verdict: 'WA', source: '#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a-b<<"\\n";}\n' },
    cpuLoop: { verdict: 'TLE', source: 'int main(){volatile unsigned long x=0;for(;;)x++;}\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: '#include <unistd.h>\nint main(){sleep(60);}\n', expectMessage: /wall time limit/ },
    memory: {
      verdict: 'MLE',
      // volatile, so the optimizer cannot drop an allocation whose contents it can predict
      source: '#include <cstdio>\n#include <cstdlib>\nint main(){size_t n=1ull<<30;volatile char*p=(volatile char*)malloc(n);if(!p)return 1;for(size_t i=0;i<n;i+=4096)p[i]=1;printf("%d\\n",p[n-4096]);}\n',
      limits: MEMORY_HOG_LIMITS,
    },
    exitCode: { verdict: 'RE', source: 'int main(){return 3;}\n', expectExitCode: 3 },
    signal: { verdict: 'RE', source: '#include <cstdlib>\nint main(){std::abort();}\n', expectSignal: 'SIGABRT' },
    compileError: { verdict: 'CE', source: 'int main(){ this is not C++ }\n' },
    outputFlood: { verdict: 'OLE', source: '#include <cstdio>\nint main(){for(;;)fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",stdout);}\n', limits: { outputKb: 64 } },
  },
  go: {
    accepted: { verdict: 'AC', source: 'package main\nimport "fmt"\nfunc main(){var a,b int64;fmt.Scan(&a,&b);fmt.Println(a+b)}\n' },
    wrongAnswer: { verdict: 'WA', source: 'package main\nimport "fmt"\nfunc main(){var a,b int64;fmt.Scan(&a,&b);fmt.Println(a*b)}\n' },
    cpuLoop: { verdict: 'TLE', source: 'package main\nfunc main(){x:=0;for{x++}}\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: 'package main\nimport "time"\nfunc main(){time.Sleep(time.Minute)}\n', expectMessage: /wall time limit/ },
    memory: {
      verdict: 'MLE',
      source: 'package main\nimport "fmt"\nfunc main(){b:=make([]byte,1<<30);for i:=0;i<len(b);i+=4096{b[i]=1};fmt.Println(b[4096])}\n',
      limits: MEMORY_HOG_LIMITS,
    },
    exitCode: { verdict: 'RE', source: 'package main\nimport "os"\nfunc main(){os.Exit(3)}\n', expectExitCode: 3 },
    signal: { verdict: 'RE', source: 'package main\nimport "syscall"\nfunc main(){syscall.Kill(syscall.Getpid(), syscall.SIGKILL)}\n', expectSignal: 'SIGKILL' },
    panic: { verdict: 'RE', source: 'package main\nfunc main(){var p *int;println(*p)}\n', expectExitCode: 2, expectMessage: /exit code 2/ },
    compileError: { verdict: 'CE', source: 'package main\nfunc main(){ undefinedThing() }\n' },
    outputFlood: { verdict: 'OLE', source: 'package main\nimport "os"\nfunc main(){b:=make([]byte,65536);for{os.Stdout.Write(b)}}\n', limits: { outputKb: 64 } },
  },
  java: {
    accepted: { verdict: 'AC', source: 'import java.util.*;\npublic class Main { public static void main(String[] args) { Scanner in = new Scanner(System.in); long a = in.nextLong(), b = in.nextLong(); System.out.println(a + b); } }\n' },
    wrongAnswer: { verdict: 'WA', source: 'import java.util.*;\npublic class Main { public static void main(String[] args) { Scanner in = new Scanner(System.in); long a = in.nextLong(), b = in.nextLong(); System.out.println(a - b); } }\n' },
    cpuLoop: { verdict: 'TLE', source: 'public class Main { public static void main(String[] args) { long x = 0; while (true) x++; } }\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: 'public class Main { public static void main(String[] args) throws Exception { Thread.sleep(60000); } }\n', expectMessage: /wall time limit/ },
    memory: {
      verdict: 'MLE',
      // A heap that really grows (1 MiB arrays, kept): the JVM's -Xmx is the limit, so the peak RSS,
      // heap plus the JVM's own memory, passes the limit before the heap is full.
      source: 'import java.util.*;\npublic class Main { public static void main(String[] args) { List<byte[]> kept = new ArrayList<>(); for (int i = 0; i < 1024; i++) kept.add(new byte[1 << 20]); System.out.println(kept.size()); } }\n',
      limits: MEMORY_HOG_LIMITS,
    },
    exitCode: { verdict: 'RE', source: 'public class Main { public static void main(String[] args) { System.exit(3); } }\n', expectExitCode: 3 },
    exception: { verdict: 'RE', source: 'public class Main { public static void main(String[] args) { throw new IllegalStateException("boom"); } }\n', expectExitCode: 1 },
    compileError: { verdict: 'CE', source: 'public class Main { public static void main(String[] args) { int x = "not a number"; } }\n' },
    outputFlood: { verdict: 'OLE', source: 'public class Main { public static void main(String[] args) { String s = "x".repeat(65536); while (true) System.out.print(s); } }\n', limits: { outputKb: 64 } },
  },
  javascript: {
    accepted: { verdict: 'AC', source: "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n" },
    wrongAnswer: { verdict: 'WA', source: "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a * b);\n" },
    cpuLoop: { verdict: 'TLE', source: 'for (;;) {}\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: 'setTimeout(() => {}, 60000);\n', expectMessage: /wall time limit/ },
    // The V8 heap itself, not a buffer outside it: --max-old-space-size is the limit, so RSS passes it first.
    memory: { verdict: 'MLE', source: 'const kept = [];\nfor (;;) kept.push(new Array(1 << 20).fill(kept.length));\n', limits: MEMORY_HOG_LIMITS },
    exitCode: { verdict: 'RE', source: 'process.exit(3);\n', expectExitCode: 3 },
    signal: { verdict: 'RE', source: 'process.abort();\n', expectSignal: 'SIGABRT' },
    compileError: { verdict: 'CE', source: 'function broken( {\n' },
    outputFlood: { verdict: 'OLE', source: "const s = 'x'.repeat(65536);\nfor (;;) process.stdout.write(s);\n", limits: { outputKb: 64 } },
  },
  c: {
    accepted: { verdict: 'AC', source: '#include <stdio.h>\nint main(void){long long a,b;if(scanf("%lld %lld",&a,&b)!=2)return 1;printf("%lld\\n",a+b);return 0;}\n' },
    wrongAnswer: { verdict: 'WA', source: '#include <stdio.h>\nint main(void){long long a,b;if(scanf("%lld %lld",&a,&b)!=2)return 1;printf("%lld\\n",a-b);return 0;}\n' },
    cpuLoop: { verdict: 'TLE', source: 'int main(void){volatile unsigned long x=0;for(;;)x++;}\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: '#include <unistd.h>\nint main(void){sleep(60);return 0;}\n', expectMessage: /wall time limit/ },
    memory: {
      verdict: 'MLE',
      source: '#include <stdio.h>\n#include <stdlib.h>\nint main(void){size_t n=(size_t)1<<30;volatile char*p=malloc(n);if(!p)return 1;for(size_t i=0;i<n;i+=4096)p[i]=1;printf("%d\\n",p[n-4096]);return 0;}\n',
      limits: MEMORY_HOG_LIMITS,
    },
    exitCode: { verdict: 'RE', source: 'int main(void){return 3;}\n', expectExitCode: 3 },
    signal: { verdict: 'RE', source: '#include <signal.h>\nint main(void){raise(SIGSEGV);return 0;}\n', expectSignal: 'SIGSEGV' },
    compileError: { verdict: 'CE', source: 'int main(void){ return undeclared_thing; }\n' },
    outputFlood: { verdict: 'OLE', source: '#include <stdio.h>\nint main(void){for(;;)fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",stdout);}\n', limits: { outputKb: 64 } },
  },
  rust: {
    accepted: {
      verdict: 'AC',
      source: 'use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }\n',
    },
    wrongAnswer: {
      verdict: 'WA',
      source: 'use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] * v[1]); }\n',
    },
    cpuLoop: { verdict: 'TLE', source: 'fn main() { loop {} }\n', expectMessage: /CPU time limit/ },
    sleep: { verdict: 'TLE', source: 'fn main() { std::thread::sleep(std::time::Duration::from_secs(60)); }\n', expectMessage: /wall time limit/ },
    memory: {
      verdict: 'MLE',
      // Volatile writes, one a page, so the optimizer cannot drop an allocation nothing reads back.
      source: 'fn main() { let n = 1usize << 30; let mut v = vec![0u8; n]; for i in (0..n).step_by(4096) { unsafe { std::ptr::write_volatile(v.as_mut_ptr().add(i), 1) } } println!("{}", v.len()); }\n',
      limits: MEMORY_HOG_LIMITS,
    },
    exitCode: { verdict: 'RE', source: 'fn main() { std::process::exit(3); }\n', expectExitCode: 3 },
    signal: { verdict: 'RE', source: 'fn main() { std::process::abort(); }\n', expectSignal: 'SIGABRT' },
    panic: { verdict: 'RE', source: 'fn main() { let v: Vec<i32> = std::env::args().skip(5).map(|_| 1).collect(); println!("{}", v[1]); }\n', expectExitCode: 101, expectMessage: /exit code 101/ },
    compileError: { verdict: 'CE', source: 'fn main() { let x: i32 = "not a number"; }\n' },
    outputFlood: {
      verdict: 'OLE',
      source: 'use std::io::Write;\nfn main() { let b = [b\'x\'; 65536]; let out = std::io::stdout(); let mut out = out.lock(); loop { out.write_all(&b).unwrap(); } }\n',
      limits: { outputKb: 64 },
    },
  },
};

describe('verdicts, end to end through the API', () => {
  const stack = new VerdictStack();
  const pending = new Map<string, Promise<SubmissionView>>();

  beforeAll(async () => {
    await stack.start();
    // Everything is submitted at once, as a contest would; the worker pool drains the queue.
    for (const [language, cases] of Object.entries(PROGRAMS)) {
      for (const [name, c] of Object.entries(cases)) {
        const id = await stack.submit({
          language,
          source: c.source,
          tests: APLUSB_TESTS,
          limits: { cpuTimeMs: 1000, wallTimeMs: 3000, ...c.limits },
        });
        pending.set(`${language}/${name}`, stack.waitForResult(id, { timeoutMs: 600000 }));
      }
    }
  });

  afterAll(() => stack.stop());

  const table = Object.entries(PROGRAMS).flatMap(([language, cases]) =>
    Object.entries(cases).map(([name, c]) => [language, name, c] as const),
  );

  it.each(table)('%s %s', async (language, name, c) => {
    const result = await pending.get(`${language}/${name}`)!;
    // On a mismatch, the tests' own measurements and messages say why.
    const summary = { status: result.status, verdict: result.verdict, message: result.message, tests: result.tests.map(({ verdict, cpuTimeMs, wallTimeMs, memoryKb, message }) => ({ verdict, cpuTimeMs, wallTimeMs, memoryKb, message })) };
    expect(summary).toMatchObject({ status: 'completed', verdict: c.verdict });
    if (c.verdict === 'CE') {
      expect(result.tests).toHaveLength(0);
      expect(result.compileOutput).toBeTruthy();
      expect(result.message).toMatch(/compilation failed/);
      return;
    }
    expect(result.tests).toHaveLength(APLUSB_TESTS.length);
    const first = result.tests[0];
    expect(first.verdict).toBe(c.verdict);
    if (c.expectMessage) expect(first.message).toMatch(c.expectMessage);
    if (c.expectSignal) {
      expect(first.signal).toBe(c.expectSignal);
      expect(first.exitCode).toBeNull();
    }
    if (c.expectExitCode !== undefined) expect(first.exitCode).toBe(c.expectExitCode);
    if (c.verdict === 'AC') {
      expect(result.tests.map((t) => t.verdict)).toEqual(['AC', 'AC', 'AC']);
      expect(result.tests.map((t) => t.stdout.trim())).toEqual(['3', '5', '2000000000']);
      for (const t of result.tests) {
        expect(t.cpuTimeMs).toBeGreaterThan(0);
        expect(t.wallTimeMs).toBeGreaterThanOrEqual(t.cpuTimeMs * 0.5);
        expect(t.memoryKb).toBeGreaterThan(100);
        expect(t.exitCode).toBe(0);
      }
    }
    if (c.verdict === 'TLE' && /CPU/.test(String(c.expectMessage))) expect(first.cpuTimeMs).toBeGreaterThanOrEqual(1000);
    if (c.verdict === 'TLE' && /wall/.test(String(c.expectMessage))) {
      expect(first.wallTimeMs).toBeGreaterThanOrEqual(3000);
      expect(first.cpuTimeMs).toBeLessThan(1000); // under the CPU limit: not a CPU TLE
    }
    if (c.verdict === 'MLE') expect(first.memoryKb).toBeGreaterThanOrEqual(64 * 1024 * 0.9);
    if (c.verdict === 'OLE') expect(first.stdoutTruncated).toBe(true);
  });

  it('leaves no sandbox container behind', async () => {
    await Promise.all(pending.values());
    expect(await stack.leftoverContainers()).toEqual([]);
  });
});
