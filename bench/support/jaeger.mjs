// A real OTLP receiver for benches: Jaeger v2 as deploy/verdict.sh builds it (deploy/tools), with
// deploy/observability/jaeger/jaeger.yaml on loopback ports of its own.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, fail } from './processes.mjs';

/** The jaeger binary, as deploy/verdict.sh finds it: VERDICT_JAEGER_BIN, else the cache's build of the pinned version. */
function jaegerPath() {
  const found = spawnSync('bash', [join(ROOT, 'deploy/verdict.sh'), 'tool-path', 'jaeger'], { encoding: 'utf8' });
  if (found.status !== 0) fail(found.stderr.trim().replace(/^\[verdict\] ERROR: /, '') || 'bash deploy/verdict.sh tool-path jaeger failed');
  return found.stdout.trim();
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
