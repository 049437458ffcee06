#!/usr/bin/env node
// What a built-in checker costs the worker to judge one large wrong output (issue #8: nothing a user
// controls may make the worker's own cost unbounded).
//
//   node bench/checker-cost.mjs [--mb 64] [--checkers exact,tokens,tokens-ci,float,lines-unordered,json]
//
// No build, Redis or Docker needed: each case runs in a fresh Node process that loads the TypeScript
// of libs/ through ts-node (transpile only) and tsconfig-paths from node_modules, so the checkers and
// the worker's TestDataCache are the ones in the working tree. The expected answer (--mb MiB of
// "k k/7" lines; for json the same pairs as one JSON array) lies on disk as the cache holds it, named
// by its SHA-256, and is streamed from there by TestDataCache.stream; the program's output is a
// Buffer, as RunResult.stdout holds it. Two wrong outputs of the same size: the first digit of the
// last number pair changed (the first difference near the end), and of the first pair (at the start).
// And for the text checkers, the first of them against an answer of 1 MiB (the answer's first MiB):
// the cost of what the user alone controls, since lines-unordered, which cannot stream, holds the
// expected lines (the problem's data) whatever the output.
//
// For each case: wall time, CPU time (the whole process, thread pool included), the longest
// event-loop block (perf_hooks.monitorEventLoopDelay, 1 ms resolution), and the extra memory over the
// baseline taken just before the check (output loaded, heap collected): peak RSS (VmHWM after
// resetting it through /proc/self/clear_refs) and the sampled peak of V8 heap + external memory.
// The raw baseline in the same run: reading the answer file whole and Buffer.compare of the two.
// Targets, printed beside each figure: under 1 s and under 100 MB of extra memory per judged output.
// Prints a table and one `BENCH_JSON {...}` line.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SELF), '..');
const MiB = 1024 * 1024;
const TARGET_WALL_MS = 1000;
const TARGET_EXTRA_MB = 100;
const CHECKERS = ['raw: readFile + Buffer.compare', 'exact', 'tokens', 'tokens-ci', 'float', 'lines-unordered', 'json'];

const { values: options } = parseArgs({
  options: {
    mb: { type: 'string', default: '64' },
    checkers: { type: 'string', default: CHECKERS.slice(1).join(',') },
    case: { type: 'string' },
  },
});

if (options.case) await measureCase(JSON.parse(options.case));
else main();

function main() {
  const mb = Number(options.mb);
  if (!(mb > 0)) throw new Error(`--mb must be a positive number, got ${options.mb}`);
  const checkers = options.checkers.split(',').filter(Boolean);
  for (const type of checkers) if (!CHECKERS.slice(1).includes(type)) throw new Error(`"${type}" is not one of ${CHECKERS.slice(1).join(', ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'verdict-checker-cost-'));
  try {
    const cacheDir = join(dir, 'cache');
    mkdirSync(cacheDir);
    const cases = [];
    for (const format of ['lines', 'json']) {
      const types = format === 'json' ? checkers.filter((t) => t === 'json') : checkers.filter((t) => t !== 'json');
      if (types.length === 0) continue;
      const { expected, firstDigit, lastDigit } = answerOf(format, mb * MiB);
      const sha256 = createHash('sha256').update(expected).digest('hex');
      const expectedPath = join(cacheDir, sha256);
      writeFileSync(expectedPath, expected);
      const outputs = { 'near the end': withDigitChanged(expected, lastDigit), 'at the start': withDigitChanged(expected, firstDigit) };
      console.log(`${format} answer: ${(expected.length / MiB).toFixed(1)} MiB, ${countPairs(expected)} number pairs, on disk in ${cacheDir}`);
      const answers = { 'near the end': { sha256, expectedPath, bytes: expected.length }, 'at the start': { sha256, expectedPath, bytes: expected.length } };
      if (format === 'lines') {
        // What the user alone controls: the same wrong output against a small answer (its first MiB).
        const small = answerOf(format, MiB).expected;
        const smallSha = createHash('sha256').update(small).digest('hex');
        writeFileSync(join(cacheDir, smallSha), small);
        outputs['1 MiB answer'] = outputs['near the end'];
        answers['1 MiB answer'] = { sha256: smallSha, expectedPath: join(cacheDir, smallSha), bytes: small.length };
      }
      for (const [where, output] of Object.entries(outputs)) {
        const outputPath = join(dir, `output-${format}-${where.replace(/ /g, '-')}`);
        writeFileSync(outputPath, output);
        const answer = answers[where];
        if (format === 'lines') cases.push({ checker: 'raw: readFile + Buffer.compare', where, expectedPath: answer.expectedPath, output: outputPath });
        for (const type of types) cases.push({ checker: type, where, cacheDir, data: { sha256: answer.sha256, bytes: answer.bytes }, output: outputPath });
      }
    }
    cases.sort((a, b) => order(a.checker) - order(b.checker));

    const results = [];
    for (const c of cases) {
      const child = spawnSync(process.execPath, ['--expose-gc', SELF, '--case', JSON.stringify(c)], { encoding: 'utf8', maxBuffer: 16 * MiB });
      const line = child.stdout.split('\n').find((l) => l.startsWith('CASE_RESULT '));
      if (child.status !== 0 || !line) throw new Error(`case ${c.checker} (${c.where}) failed with status ${child.status}:\n${child.stderr}${child.stdout}`);
      results.push({ checker: c.checker, where: c.where, ...JSON.parse(line.slice('CASE_RESULT '.length)) });
      process.stderr.write('.');
    }
    process.stderr.write('\n');
    printTable(results);
    console.log(`BENCH_JSON ${JSON.stringify({ bench: 'checker-cost', node: process.version, mb, targets: { wallMs: TARGET_WALL_MS, extraMB: TARGET_EXTRA_MB }, results })}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The raw baseline first, then the checkers in CHECKERS order. */
function order(checker) {
  return CHECKERS.indexOf(checker);
}

/**
 * Pairs "k k/7" (an integer and a decimal token) for k = 1, 2, ... up to about `bytes`: lines for the
 * text checkers, [[k,k/7],...] for json. Also where the first digits of the first and last pairs are.
 */
function answerOf(format, bytes) {
  const json = format === 'json';
  const pair = json ? (k) => `[${k},${(k / 7).toFixed(6)}],` : (k) => `${k} ${(k / 7).toFixed(6)}\n`;
  const parts = [json ? '[' : ''];
  let total = 0;
  for (let k = 1; total < bytes; ) {
    let block = '';
    for (const end = k + 50_000; k < end; k++) block += pair(k);
    parts.push(block);
    total += block.length;
  }
  let text = parts.join('');
  const cut = json ? text.lastIndexOf('],', bytes - 2) + 1 : text.lastIndexOf('\n', bytes - 1) + 1;
  text = json ? `${text.slice(0, cut)}]` : text.slice(0, cut);
  const firstDigit = json ? 2 : 0;
  const lastDigit = json ? text.lastIndexOf('[') + 1 : text.lastIndexOf('\n', text.length - 2) + 1;
  return { expected: Buffer.from(text, 'latin1'), firstDigit, lastDigit };
}

/** A copy with one digit made another: wrong for every checker, even within float's tolerance. */
function withDigitChanged(expected, at) {
  const output = Buffer.from(expected);
  output[at] = output[at] === 0x39 ? 0x31 : output[at] + 1;
  return output;
}

/** Pairs counted by their decimal points. */
function countPairs(buffer) {
  let pairs = 0;
  for (let at = buffer.indexOf(0x2e); at !== -1; at = buffer.indexOf(0x2e, at + 1)) pairs++;
  return pairs;
}

function printTable(results) {
  const mark = (ok) => (ok ? 'ok' : 'OVER');
  const rows = results.map((r) => [
    r.checker,
    r.where,
    r.verdict,
    `${r.wallMs.toFixed(0)} ${mark(r.wallMs < TARGET_WALL_MS)}`,
    r.cpuMs.toFixed(0),
    r.maxBlockMs.toFixed(1),
    `${r.extraRssMB.toFixed(1)} ${mark(r.extraRssMB < TARGET_EXTRA_MB)}`,
    `${r.extraHeapMB.toFixed(1)} ${mark(r.extraHeapMB < TARGET_EXTRA_MB)}`,
    r.message.length > 60 ? `${r.message.slice(0, 60)}…` : r.message,
  ]);
  const header = ['checker', 'difference', 'verdict', `wall ms (<${TARGET_WALL_MS})`, 'CPU ms', 'max block ms', `peak RSS +MB (<${TARGET_EXTRA_MB})`, `heap+ext +MB (<${TARGET_EXTRA_MB})`, 'message'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(format(row));
}

/** One case in this (fresh) process: prints `CASE_RESULT {...}`. */
async function measureCase(c) {
  const output = readFileSync(c.output);
  const judge = c.expectedPath ? rawJudge(c.expectedPath, output) : await checkerJudge(c, output);

  globalThis.gc();
  const canResetPeak = resetPeakRss();
  const baseRss = canResetPeak ? peakRss() : process.memoryUsage().rss;
  const heapAndExternal = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const baseHeap = heapAndExternal();
  let peakHeap = baseHeap;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, heapAndExternal())), 1);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();

  const result = await judge();

  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  peakHeap = Math.max(peakHeap, heapAndExternal());
  // The histogram records a block when its timer next fires: let it, or a block at the very end is lost.
  await new Promise((resolve) => setTimeout(resolve, 10));
  delay.disable();
  clearInterval(sampler);
  const rss = canResetPeak ? peakRss() : Math.max(process.resourceUsage().maxRSS * 1024, baseRss);
  console.log(`CASE_RESULT ${JSON.stringify({
    verdict: result.accepted ? 'AC' : 'WA',
    message: result.message,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxBlockMs: delay.max / 1e6,
    extraRssMB: (rss - baseRss) / MiB,
    extraHeapMB: (peakHeap - baseHeap) / MiB,
    peakRssMeasuredBy: canResetPeak ? 'VmHWM' : 'maxRSS',
  })}`);
}

function rawJudge(expectedPath, output) {
  return async () => {
    const expected = await readFile(expectedPath);
    const accepted = Buffer.compare(expected, output) === 0;
    return { accepted, message: accepted ? '' : 'buffers differ' };
  };
}

async function checkerJudge(c, output) {
  const require = createRequire(SELF);
  require('reflect-metadata');
  require('ts-node').register({ transpileOnly: true, project: join(ROOT, 'tsconfig.json') });
  require('tsconfig-paths').register({ baseUrl: ROOT, paths: JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions.paths });
  const { Logger } = require('@nestjs/common');
  Logger.overrideLogger(false);
  const { CHECKERS: checkers } = require('@verdict/checkers');
  const { RedisConfig, TestDataCacheConfig, WorkerConfig, loadConfig } = require('@verdict/config');
  const { TestDataCache } = require(join(ROOT, 'libs/problems/src/test-data-cache.ts'));
  // Redis is never reached: the answer is in the cache directory already.
  const env = { REDIS_URL: 'redis://127.0.0.1:1', WORKER_ID: 'checker-cost', TEST_DATA_CACHE_DIR: c.cacheDir, TEST_DATA_CACHE_MAX_MB: '4096' };
  const cache = new TestDataCache(loadConfig(TestDataCacheConfig, env), loadConfig(RedisConfig, env), loadConfig(WorkerConfig, env));
  await cache.onModuleInit();
  return async () => {
    const result = await checkers[c.checker].check(cache.stream(c.data), output, { type: c.checker });
    // json may answer from the output's size alone, without opening the answer.
    if (cache.stats().downloads !== 0) throw new Error('the answer was not streamed from the cache directory');
    return result;
  };
}

/** Linux: VmHWM restarts from the current RSS, so the peak measured is this check's alone. */
function resetPeakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRss() {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(kb[1]) * 1024;
}
