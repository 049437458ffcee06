#!/usr/bin/env node
// Judges the examples through a running Verdict API and compares each verdict with the one
// expected:
//   - examples/submissions/*.json: inline tests; the file's "expect" field is the verdict.
//   - examples/problems/*: uploaded (a new version when the problem exists), then every
//     examples/solutions/<problem>/<verdict>[-name].<ext> is judged against it.
//
//   VERDICT_API_URL=http://127.0.0.1:3000 VERDICT_API_KEY=vk_... node examples/judge-samples.mjs [file.json ...]
//
// The key needs the submit, read and problems:write scopes (`bash deploy/verdict.sh start` makes
// one for its demo tenant and prints it).
// Node >= 20 and the repository's node_modules (yaml). Exit code 1 on any mismatch, timeout or
// error, including an unreachable API.
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const API = (process.env.VERDICT_API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
const KEY = process.env.VERDICT_API_KEY;
if (!KEY) {
  console.error('VERDICT_API_KEY is not set: give an API key of a tenant (bash deploy/verdict.sh start prints one)');
  process.exit(1);
}
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
      headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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

const LANGUAGE_OF_EXTENSION = { '.py': 'python', '.cpp': 'cpp', '.c': 'c', '.go': 'go', '.java': 'java', '.js': 'javascript', '.rs': 'rust' };

/** Inline samples: { file, body, expected }. */
async function inlineSamples() {
  const args = process.argv.slice(2);
  const dir = join(here, 'submissions');
  const files = args.length > 0 ? args : (await readdir(dir)).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  return Promise.all(
    files.map(async (file) => {
      const { expect, ...body } = JSON.parse(await readFile(file, 'utf8'));
      return { file: basename(file), body, expected: expect ?? '?' };
    }),
  );
}

/** Every file of a directory, by its path below it. */
async function filesBelow(dir) {
  const files = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files[relative(dir, join(entry.parentPath ?? entry.path, entry.name))] = await readFile(join(entry.parentPath ?? entry.path, entry.name), 'utf8');
  }
  return files;
}

/** Uploads examples/problems/* (the JSON form: problem.yaml's fields and the other files). */
async function uploadProblems() {
  const root = join(here, 'problems');
  const ids = [];
  for (const name of (await readdir(root)).sort()) {
    const { 'problem.yaml': manifest, ...files } = await filesBelow(join(root, name));
    const body = { ...parseYaml(manifest), files };
    let posted = await request('POST', '/v1/problems', body);
    if (posted.status === 409) posted = await request('POST', `/v1/problems/${encodeURIComponent(body.id)}/versions`, body);
    // Taken (ids are global) by a problem this key's tenant does not own: another tenant's, or one stored before tenants (an admin's).
    if (posted.status === 404 || posted.status === 403) {
      throw new Error(`uploading examples/problems/${name}: the id "${body.id}" is taken by a problem your tenant does not own; an admin can delete it (DELETE /v1/problems/${body.id} with the admin key)`);
    }
    if (posted.status !== 201) throw new Error(`uploading examples/problems/${name}: ${posted.status} ${posted.text.slice(0, 500)}`);
    ids.push(posted.json.id);
  }
  return ids;
}

/** examples/solutions/<problem>/<verdict>[-name].<ext>, as samples. */
async function problemSolutions(problemIds) {
  const samples = [];
  for (const problemId of problemIds) {
    const dir = join(here, 'solutions', problemId);
    const files = await readdir(dir).catch(() => []);
    for (const file of files.sort()) {
      const language = LANGUAGE_OF_EXTENSION[extname(file)];
      if (!language) continue;
      const expected = basename(file, extname(file)).split('-')[0].toUpperCase();
      samples.push({ file: `${problemId}/${file}`, body: { problemId, language, source: await readFile(join(dir, file), 'utf8') }, expected });
    }
  }
  return samples;
}

async function judge({ file, body, expected }) {
  const row = { file, language: body.language ?? '?', expected, got: '-', tests: '-', score: '-', maxCpuMs: null, maxWallMs: null, maxMemKb: null, ok: false, note: '' };

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
  row.score = view.maxScore == null ? '-' : `${view.score ?? '-'}/${view.maxScore}`;
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
    ['tests', (r) => (r.tests.length > 40 ? `${r.tests.slice(0, 37)}...` : r.tests)],
    ['score', (r) => r.score],
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
  const samples = await inlineSamples();
  if (process.argv.length <= 2) samples.push(...(await problemSolutions(await uploadProblems())));
  if (samples.length === 0) {
    console.error('no samples found');
    process.exit(1);
  }
  console.log(`Judging ${samples.length} samples via ${API} (polling every ${POLL_MS} ms, ${TIMEOUT_MS / 1000} s timeout each)\n`);
  const started = Date.now();
  const rows = await Promise.all(samples.map((sample) => judge(sample)));
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
