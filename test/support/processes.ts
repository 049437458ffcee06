import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built apps, as an operator runs them (`npm run build`; bash deploy/verdict.sh setup does). */
export const API_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'main.js');
export const WORKER_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'main.js');

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Polls `check` until it holds (an external process's state: no event to wait on), failing after
 * `timeoutMs`, or at once when `child` exits.
 */
export async function until(check: () => Promise<boolean>, { child, what, timeoutMs = 60000 }: { child?: ChildProcess; what: string | (() => string); timeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const describe = () => (typeof what === 'string' ? what : what());
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`a process exited (code ${child.exitCode}) before ${describe()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${describe()}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A built app started as a child process, its output kept for failure messages. */
export class AppProcess {
  output = '';
  readonly child: ChildProcess;
  /** Its exit code once it has exited and all it printed is in `output` ('exit' can come before the last output). */
  readonly closed: Promise<number | null>;

  constructor(main: string, env: NodeJS.ProcessEnv, args: string[] = []) {
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build (bash deploy/verdict.sh setup does)`);
    this.child = spawn(process.execPath, [main, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.output = (this.output + chunk).slice(-200000)));
    this.child.stderr!.on('data', (chunk) => (this.output = (this.output + chunk).slice(-200000)));
    this.closed = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** SIGTERM (the apps then close, flushing their telemetry), SIGKILL if still running after `graceMs`. */
  async stop(graceMs = 20000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
