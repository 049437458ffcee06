// A real OTLP receiver for benches: Jaeger v2 as deploy/verdict.sh builds it (deploy/tools), with
// deploy/observability/jaeger/jaeger.yaml on loopback ports of its own.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, fail } from './processes.mjs';

/** VERDICT_JAEGER_BIN, else the tools cache's build of the version deploy/tools/go.mod pins (as test/support/go-tools.ts finds it). */
function jaegerPath() {
  if (process.env.VERDICT_JAEGER_BIN) return process.env.VERDICT_JAEGER_BIN;
  const version = /github\.com\/jaegertracing\/jaeger\s+(v\S+)/.exec(readFileSync(join(ROOT, 'deploy/tools/go.mod'), 'utf8'))?.[1];
  const cache = process.env.VERDICT_TOOLS_CACHE || join(homedir(), '.cache', 'verdict', 'tools');
  const path = join(cache, `jaeger-${version}`, 'jaeger');
  if (!existsSync(path)) fail(`jaeger ${version} is not built (${path}): run bash deploy/verdict.sh setup, or set VERDICT_JAEGER_BIN`);
  return path;
}

/**
 * Starts Jaeger on `otlpPort` (OTLP/HTTP) and `queryPort`; resolves once its query API answers. It
 * runs at nice 19, standing in for a backend on other machines: it gets the time the benched
 * processes leave idle, not theirs (nice execs it, so the child is Jaeger itself).
 */
export async function startJaeger(otlpPort, queryPort) {
  const env = { ...process.env, JAEGER_OTLP_HTTP_PORT: String(otlpPort), JAEGER_QUERY_PORT: String(queryPort), JAEGER_QUERY_GRPC_PORT: String(queryPort + 1) };
  const config = `file:${join(ROOT, 'deploy/observability/jaeger/jaeger.yaml')}`;
  const child = spawn('nice', ['-n', '19', jaegerPath(), '--config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  for (const deadline = Date.now() + 30000; ; ) {
    if (child.exitCode !== null) fail(`jaeger exited: ${stderr}`);
    if (await fetch(`http://127.0.0.1:${queryPort}/api/services`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) fail(`jaeger did not come up: ${stderr}`);
    await sleep(200);
  }
  return { child, otlpEndpoint: `http://127.0.0.1:${otlpPort}` };
}
