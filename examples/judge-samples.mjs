#!/usr/bin/env node
// Judge every examples/submissions/*.json through a running Verdict API and
// compare each verdict with the file's "expect" field.
//
//   VERDICT_API_URL=http://127.0.0.1:3000 node examples/judge-samples.mjs [file.json ...]
//
// Plain Node >= 20 (global fetch), no dependencies. Exit code 1 on any
// mismatch, timeout or error, including an unreachable API.
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const API = (process.env.VERDICT_API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
const POLL_MS = 100;
const TIMEOUT_MS = 120_000;
const REQUEST_TIMEOUT_MS = 10_000;
const TERMINAL = new Set(['completed', 'failed']);

const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Unreachable extends Error {}

async function request(method, path, body) {
  let res;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const code = err?.cause?.code ?? err?.name ?? 'error';
    throw new Unreachable(`cannot reach the Verdict API at ${API} (${code})`);
  }
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

async function sampleFiles() {
  const args = process.argv.slice(2);
  if (args.length > 0) return args;
  const dir = join(here, 'submissions');
  return (await readdir(dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

async function judge(file) {
  const row = { file: basename(file), language: '?', expected: '?', got: '-', tests: '-', maxCpuMs: null, maxWallMs: null, maxMemKb: null, ok: false, note: '' };
  let sample;
  try {
    sample = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    row.note = `cannot read ${file}: ${err.message}`;
    return row;
  }
  const { expect, ...body } = sample;
  row.language = body.language ?? '?';
  row.expected = expect ?? '?';

  const posted = await request('POST', '/v1/submissions', body);
  if (posted.status !== 202 || !posted.json?.id) {
    row.got = `HTTP ${posted.status}`;
    row.note = `POST /v1/submissions -> ${posted.status}: ${posted.text.slice(0, 300)}`;
    return row;
  }
  const id = posted.json.id;
  row.id = id;
  const deadline = Date.now() + TIMEOUT_MS;
  let view = null;
  for (;;) {
    const got = await request('GET', `/v1/submissions/${encodeURIComponent(id)}`);
    if (got.status === 200 && got.json) {
      view = got.json;
      if (TERMINAL.has(view.status)) break;
    } else if (got.status !== 404) {
      row.note = `GET /v1/submissions/${id} -> ${got.status}: ${got.text.slice(0, 300)}`;
    }
    if (Date.now() >= deadline) {
      row.got = 'TIMEOUT';
      row.note = `not finished after ${TIMEOUT_MS / 1000}s (last status: ${view?.status ?? 'unknown'}, id ${id})`;
      return row;
    }
    await sleep(POLL_MS);
  }
  const tests = Array.isArray(view.tests) ? view.tests : [];
  row.got = view.verdict ?? view.status;
  row.tests = tests.length ? tests.map((t) => t.verdict).join(',') : '-';
  const max = (key) => (tests.length ? Math.max(...tests.map((t) => Number(t[key]) || 0)) : null);
  row.maxCpuMs = max('cpuTimeMs');
  row.maxWallMs = max('wallTimeMs');
  row.maxMemKb = max('memoryKb');
  row.ok = row.got === row.expected;
  if (!row.ok) {
    const firstBad = tests.find((t) => t.verdict !== 'AC');
    row.note = [
      view.status === 'failed' ? `status failed` : '',
      view.message ? `message: ${view.message}` : '',
      firstBad?.message ? `test ${firstBad.index}: ${firstBad.message}` : '',
      view.compileOutput ? `compile output: ${String(view.compileOutput).slice(0, 300)}` : '',
      `id ${id}`,
    ]
      .filter(Boolean)
      .join('; ');
  }
  return row;
}

function printTable(rows) {
  const cols = [
    ['file', (r) => r.file],
    ['language', (r) => r.language],
    ['expected', (r) => r.expected],
    ['got', (r) => r.got],
    ['tests', (r) => r.tests],
    ['max cpu ms', (r) => (r.maxCpuMs == null ? '-' : String(Math.round(r.maxCpuMs)))],
    ['max wall ms', (r) => (r.maxWallMs == null ? '-' : String(Math.round(r.maxWallMs)))],
    ['max mem KB', (r) => (r.maxMemKb == null ? '-' : String(Math.round(r.maxMemKb)))],
    ['result', (r) => (r.ok ? 'OK' : 'MISMATCH')],
  ];
  const cells = rows.map((r) => cols.map(([, f]) => f(r)));
  const widths = cols.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(cols.map(([h]) => h)));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

async function main() {
  const health = await request('GET', '/v1/health');
  if (health.status !== 200) {
    throw new Unreachable(`the Verdict API at ${API} is not healthy: GET /v1/health -> ${health.status} ${health.text.slice(0, 200)}`);
  }
  const files = await sampleFiles();
  if (files.length === 0) {
    console.error('no sample submissions found');
    process.exit(1);
  }
  console.log(`Judging ${files.length} samples via ${API} (polling every ${POLL_MS} ms, ${TIMEOUT_MS / 1000} s timeout each)\n`);
  const started = Date.now();
  const rows = await Promise.all(files.map((f) => judge(f)));
  printTable(rows);
  const bad = rows.filter((r) => !r.ok);
  for (const r of bad) if (r.note) console.log(`\n${r.file}: ${r.note}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (bad.length) {
    console.log(`\n${bad.length} of ${rows.length} samples did not get the expected verdict (${secs} s)`);
    process.exit(1);
  }
  console.log(`\nall ${rows.length} samples got the expected verdict (${secs} s)`);
}

main().catch((err) => {
  if (err instanceof Unreachable) {
    console.error(`${err.message}\nIs it running? Start it with: bash deploy/verdict.sh start`);
  } else {
    console.error(err?.stack ?? String(err));
  }
  process.exit(1);
});
