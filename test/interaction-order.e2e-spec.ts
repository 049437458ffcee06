import { ConfigModule, JudgingConfig, MetricsConfig, SandboxConfig, WorkerConfig } from '@verdict/config';
import { MetricsModule } from '@verdict/metrics';
import { classifyInteraction } from '@verdict/judging';
import { LanguageCatalog } from '@verdict/languages';
import { PeerSpec, RunSpec, SANDBOX_BASE_ENV, SandboxModule, SandboxLauncher, SandboxSession } from '@verdict/sandbox';
import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';

/**
 * Which side of an interactive run ended first decides its verdict (the Kattis rule), and a side
 * that fails because the other ended must never be taken for the first: each ordering, run many
 * times, gets one verdict every time, and never a failure of the judge. One C program plays both
 * parts, picked by argv.
 */
const ACTOR_C = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int program(const char *mode) {
  char answer[64];
  if (!strcmp(mode, "close-stdin-then-ask")) {
    close(0);
    printf("? 1\n");
    fflush(stdout);
    return 0;
  }
  if (!strcmp(mode, "ask-then-fail-on-eof")) {
    printf("? 1\n");
    fflush(stdout);
    return scanf("%63s", answer) == 1 ? 0 : 1;
  }
  if (!strcmp(mode, "fail-first")) return 3;
  if (!strcmp(mode, "crash-first")) { volatile int *p = 0; return *p; }
  if (!strcmp(mode, "ask-and-leave")) {
    printf("? 1\n");
    fflush(stdout);
    return 0;
  }
  return 100;
}

/* testlib's exit codes: 0 accepted, 1 wrong answer, 2 presentation error, 3 failure. */
static int interactor(const char *mode) {
  char query[64];
  if (!strcmp(mode, "reject-at-once")) {
    if (scanf("%63s", query) != 1) return 2;
    fprintf(stderr, "wrong question\n");
    return 1;
  }
  /* Writes after the submission may have gone, then wants more: EPIPE or end of file, never a signal. */
  printf("10\n");
  fflush(stdout);
  if (scanf("%63s", query) != 1) { fprintf(stderr, "expected a query, got the end of the output\n"); return 2; }
  static char flood[256 * 1024];
  memset(flood, '<', sizeof flood - 1);
  fputs(flood, stdout);
  fflush(stdout);
  if (scanf("%63s", query) != 1) { fprintf(stderr, "the submission left before finding the number\n"); return 1; }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3) return 100;
  return !strcmp(argv[1], "program") ? program(argv[2]) : interactor(argv[2]);
}
`;

const RUNS = 200;
const LIMITS = { cpuTimeMs: 2000, wallTimeMs: 10000, memoryKb: 64 * 1024 };

const ORDERINGS: [title: string, program: string, interactor: string, verdict: string][] = [
  ['the submission closes its input, then asks (the interactor writes to it after it left)', 'close-stdin-then-ask', 'talk', 'WA'],
  ['the interactor rejects first, then the submission fails on the end of its input', 'ask-then-fail-on-eof', 'reject-at-once', 'WA'],
  ['the submission fails first, then the interactor finds the end of its input', 'fail-first', 'talk', 'RE'],
  ['the submission crashes first, then the interactor writes to it', 'crash-first', 'talk', 'RE'],
  ['the submission asks and leaves; the interactor answers into a closed pipe, then rejects', 'ask-and-leave', 'talk', 'WA'],
];

describe('interactive runs: who ended first, many times over', () => {
  let moduleRef: TestingModule;
  let session: SandboxSession;

  beforeAll(async () => {
    const env = { ...process.env, WORKER_ID: `e2e-order-${randomBytes(4).toString('hex')}`, SANDBOX_POOL_SIZE: '0' };
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ load: [SandboxConfig, JudgingConfig, WorkerConfig, MetricsConfig], env }), MetricsModule.forRoot({ app: 'worker' }), SandboxModule],
    }).compile();
    moduleRef.useLogger(['error']);
    await moduleRef.init();
    const cpp = LanguageCatalog.load().get('cpp')!;
    session = await moduleRef.get(SandboxLauncher).open({ image: cpp.image, memoryMb: moduleRef.get(JudgingConfig).COMPILE_MEMORY_MB + 512, labels: { 'org.verdict.test': 'interaction-order' } });
    await session.writeFile('actor.c', ACTOR_C);
    const compile = await session.run({ ...spec(['gcc', '-O2', '-o', 'actor', 'actor.c']), cpuTimeMs: 20000, wallTimeMs: 40000, memoryKb: 1024 * 1024 });
    expect({ exitCode: compile.exitCode, output: compile.stderr.toString('utf8') }).toEqual({ exitCode: 0, output: '' });
  });

  afterAll(async () => {
    await session?.close();
    await moduleRef?.close();
  });

  function spec(argv: string[]): RunSpec {
    return {
      argv,
      env: SANDBOX_BASE_ENV,
      stdinPath: null,
      cpuTimeMs: LIMITS.cpuTimeMs,
      wallTimeMs: LIMITS.wallTimeMs,
      memoryKb: LIMITS.memoryKb,
      stackKb: 8 * 1024,
      fsizeKb: 1024,
      nofile: 64,
      stdoutMaxBytes: 1024 * 1024,
      stderrMaxBytes: 4096,
    };
  }

  it.each(ORDERINGS)(`%s: the same verdict ${RUNS} times out of ${RUNS}`, async (_title, programMode, interactorMode, verdict) => {
    const { stdinPath: _none, ...program } = spec(['/work/actor', 'program', programMode]);
    const peer: PeerSpec = { ...spec(['/work/actor', 'interactor', interactorMode]), wallTimeMs: LIMITS.wallTimeMs + 2000 };
    const seen = new Map<string, number>();
    for (let i = 0; i < RUNS; i++) {
      const ran = await session.runInteractive(program, peer);
      const outcome = classifyInteraction(ran.program, ran.peer, LIMITS);
      const key = 'failure' in outcome ? `IE: ${outcome.failure}` : outcome.verdict;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(seen)).toEqual({ [verdict]: RUNS });
  });
});
