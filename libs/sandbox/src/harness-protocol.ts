/**
 * Client side of the verdict-harness line protocol (see ../harness/PROTOCOL.md): encoding commands
 * and parsing result headers. Pure functions, so the wire format is unit-tested without Docker.
 */

export const MAX_HEADER_BYTES = 4096;

export type KillReason = 'none' | 'cpu' | 'wall' | 'memory' | 'output';
const KILL_REASONS: readonly KillReason[] = ['none', 'cpu', 'wall', 'memory', 'output'];

/** One program run inside the sandbox, with its limits. */
export interface RunSpec {
  argv: string[];
  env: Record<string, string>;
  /** A file written into the sandbox to use as stdin; null = /dev/null. */
  stdinPath: string | null;
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryKb: number;
  /** 0 = unlimited. */
  stackKb: number;
  fsizeKb: number;
  nofile: number;
  stdoutMaxBytes: number;
  stderrMaxBytes: number;
  /** Pin the run to this CPU; null = no pinning. */
  cpuCore?: number | null;
}

/** What the harness measured about one run. */
export interface RunResult {
  /** Exit status, or null when the process died of a signal. */
  exitCode: number | null;
  signal: number | null;
  /** Whether the harness killed the run, and for which limit. */
  killedBy: KillReason;
  cpuTimeUs: number;
  userTimeUs: number;
  sysTimeUs: number;
  wallTimeUs: number;
  maxRssKb: number;
  stdout: Buffer;
  stdoutTruncated: boolean;
  stderr: Buffer;
  stderrTruncated: boolean;
}

export class HarnessProtocolError extends Error {}

const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** The harness refuses these too; checking here gives a clearer error before anything is sent. */
export function assertSandboxPath(path: string): void {
  if (path.length > 255 || !SAFE_PATH.test(path) || path.split('/').some((c) => c === '.' || c === '..')) {
    throw new HarnessProtocolError(`invalid sandbox path ${JSON.stringify(path)}`);
  }
}

export function encodeFileHeader(path: string, size: number, mode = 0o644): string {
  assertSandboxPath(path);
  return `FILE ${path} ${size} ${mode.toString(8)}\n`;
}

export function encodeDelete(path: string): string {
  assertSandboxPath(path);
  return `DELETE ${path}\n`;
}

function assertLine(value: string, what: string): void {
  if (value.includes('\n') || value.includes('\0')) throw new HarnessProtocolError(`${what} must not contain a newline or NUL`);
}

export function encodeRun(spec: RunSpec): string {
  if (spec.argv.length === 0) throw new HarnessProtocolError('argv must not be empty');
  if (spec.stdinPath !== null) assertSandboxPath(spec.stdinPath);
  const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  spec.argv.forEach((a) => assertLine(a, 'an argument'));
  env.forEach((e) => assertLine(e, 'an environment variable'));
  const int = (n: number) => String(Math.max(0, Math.floor(n)));
  const header = [
    'RUN',
    `cpu_ms=${int(spec.cpuTimeMs)}`,
    `wall_ms=${int(spec.wallTimeMs)}`,
    `mem_kb=${int(spec.memoryKb)}`,
    `stack_kb=${int(spec.stackKb)}`,
    `fsize_kb=${int(spec.fsizeKb)}`,
    `nofile=${int(spec.nofile)}`,
    `stdout_max=${int(spec.stdoutMaxBytes)}`,
    `stderr_max=${int(spec.stderrMaxBytes)}`,
    `stdin=${spec.stdinPath ?? '-'}`,
    `cpu_core=${spec.cpuCore ?? -1}`,
    `argc=${spec.argv.length}`,
    `envc=${env.length}`,
  ].join(' ');
  if (Buffer.byteLength(header) + 1 > MAX_HEADER_BYTES) throw new HarnessProtocolError('RUN header too long');
  return [header, ...spec.argv, ...env].join('\n') + '\n';
}

export interface ResultHeader {
  exitCode: number | null;
  signal: number | null;
  killedBy: KillReason;
  cpuTimeUs: number;
  userTimeUs: number;
  sysTimeUs: number;
  wallTimeUs: number;
  maxRssKb: number;
  stdoutLength: number;
  stdoutTruncated: boolean;
  stderrLength: number;
  stderrTruncated: boolean;
}

/** Parses `RESULT key=value ...`; throws HarnessProtocolError naming the missing or bad field. */
export function parseResultHeader(line: string): ResultHeader {
  const [verb, ...tokens] = line.split(' ');
  if (verb !== 'RESULT') throw new HarnessProtocolError(`expected RESULT, got ${JSON.stringify(line.slice(0, 200))}`);
  const fields = new Map<string, string>();
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) throw new HarnessProtocolError(`malformed token ${JSON.stringify(token)} in RESULT`);
    fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const num = (key: string, allowNegative = false): number => {
    const raw = fields.get(key);
    const value = Number(raw);
    if (raw === undefined || raw === '' || !Number.isInteger(value) || (!allowNegative && value < 0)) {
      throw new HarnessProtocolError(`RESULT field ${key} is missing or not a valid integer: ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const flag = (key: string): boolean => num(key) === 1;
  const killed = fields.get('killed') as KillReason;
  if (!KILL_REASONS.includes(killed)) throw new HarnessProtocolError(`RESULT field killed is invalid: ${JSON.stringify(killed)}`);
  const exitCode = num('exit_code', true);
  const signal = num('signal');
  return {
    exitCode: exitCode < 0 ? null : exitCode,
    signal: signal === 0 ? null : signal,
    killedBy: killed,
    cpuTimeUs: num('cpu_us'),
    userTimeUs: num('user_us'),
    sysTimeUs: num('sys_us'),
    wallTimeUs: num('wall_us'),
    maxRssKb: num('maxrss_kb'),
    stdoutLength: num('stdout_len'),
    stdoutTruncated: flag('stdout_truncated'),
    stderrLength: num('stderr_len'),
    stderrTruncated: flag('stderr_truncated'),
  };
}
