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
  /** Run with the PEER announced just before (an interactive run). */
  peer?: boolean;
}

/** The problem's side of an interactive run: its stdin and stdout are the program's pipes. */
export type PeerSpec = Omit<RunSpec, 'stdinPath' | 'stdoutMaxBytes' | 'cpuCore' | 'peer'>;

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

/** What the harness measured about the peer of an interactive run. */
export interface PeerResult {
  exitCode: number | null;
  signal: number | null;
  killedBy: KillReason;
  cpuTimeUs: number;
  wallTimeUs: number;
  maxRssKb: number;
  stderr: Buffer;
  stderrTruncated: boolean;
  /** The peer ended before the program did. */
  exitedFirst: boolean;
}

export class HarnessProtocolError extends Error {}

/** Where the private area is mounted in a sandbox; `@name` paths are files there. */
export const PRIVATE_AREA = '/in';
const SAFE_PATH = /^@?[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** The harness refuses these too; checking here gives a clearer error before anything is sent. */
export function assertSandboxPath(path: string): void {
  const relative = path.startsWith('@') ? path.slice(1) : path;
  if (relative.length > 255 || !SAFE_PATH.test(path) || relative.split('/').some((c) => c === '.' || c === '..')) {
    throw new HarnessProtocolError(`invalid sandbox path ${JSON.stringify(path)}`);
  }
}

/** The absolute path, inside the sandbox, of a sandbox path (what a program's argv names). */
export function absoluteSandboxPath(path: string): string {
  assertSandboxPath(path);
  return path.startsWith('@') ? `${PRIVATE_AREA}/${path.slice(1)}` : `/work/${path}`;
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

export function encodeRead(path: string, maxBytes: number): string {
  assertSandboxPath(path);
  return `READ ${path} ${Math.max(0, Math.floor(maxBytes))}\n`;
}

export const RESET_COMMAND = 'RESET\n';

const int = (n: number) => String(Math.max(0, Math.floor(n)));

/** A command of argv and env lines after a header of key=value tokens (RUN, PEER). */
function encodeProgramCommand(verb: 'RUN' | 'PEER', keys: string[], argv: string[], envMap: Record<string, string>): string {
  if (argv.length === 0) throw new HarnessProtocolError('argv must not be empty');
  const env = Object.entries(envMap).map(([k, v]) => `${k}=${v}`);
  argv.forEach((a) => assertLine(a, 'an argument'));
  env.forEach((e) => assertLine(e, 'an environment variable'));
  const header = [verb, ...keys, `argc=${argv.length}`, `envc=${env.length}`].join(' ');
  if (Buffer.byteLength(header) + 1 > MAX_HEADER_BYTES) throw new HarnessProtocolError(`${verb} header too long`);
  return [header, ...argv, ...env].join('\n') + '\n';
}

function limitKeys(spec: PeerSpec): string[] {
  return [
    `cpu_ms=${int(spec.cpuTimeMs)}`,
    `wall_ms=${int(spec.wallTimeMs)}`,
    `mem_kb=${int(spec.memoryKb)}`,
    `stack_kb=${int(spec.stackKb)}`,
    `fsize_kb=${int(spec.fsizeKb)}`,
    `nofile=${int(spec.nofile)}`,
  ];
}

export function encodeRun(spec: RunSpec): string {
  if (spec.stdinPath !== null) assertSandboxPath(spec.stdinPath);
  const keys = [
    ...limitKeys(spec),
    `stdout_max=${int(spec.stdoutMaxBytes)}`,
    `stderr_max=${int(spec.stderrMaxBytes)}`,
    `stdin=${spec.stdinPath ?? '-'}`,
    `cpu_core=${spec.cpuCore ?? -1}`,
    ...(spec.peer ? ['peer=1'] : []),
  ];
  return encodeProgramCommand('RUN', keys, spec.argv, spec.env);
}

export function encodePeer(spec: PeerSpec): string {
  return encodeProgramCommand('PEER', [...limitKeys(spec), `stderr_max=${int(spec.stderrMaxBytes)}`], spec.argv, spec.env);
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

/** The key=value fields of a result line, read with the checks every field needs. */
function resultFields(line: string, verb: string) {
  const [first, ...tokens] = line.split(' ');
  if (first !== verb) throw new HarnessProtocolError(`expected ${verb}, got ${JSON.stringify(line.slice(0, 200))}`);
  const fields = new Map<string, string>();
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) throw new HarnessProtocolError(`malformed token ${JSON.stringify(token)} in ${verb}`);
    fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const num = (key: string, allowNegative = false): number => {
    const raw = fields.get(key);
    const value = Number(raw);
    if (raw === undefined || raw === '' || !Number.isInteger(value) || (!allowNegative && value < 0)) {
      throw new HarnessProtocolError(`${verb} field ${key} is missing or not a valid integer: ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const killed = fields.get('killed') as KillReason;
  if (!KILL_REASONS.includes(killed)) throw new HarnessProtocolError(`${verb} field killed is invalid: ${JSON.stringify(killed)}`);
  const exitCode = num('exit_code', true);
  const signal = num('signal');
  return {
    num,
    flag: (key: string): boolean => num(key) === 1,
    killed,
    exitCode: exitCode < 0 ? null : exitCode,
    signal: signal === 0 ? null : signal,
  };
}

/** Parses `RESULT key=value ...`; throws HarnessProtocolError naming the missing or bad field. */
export function parseResultHeader(line: string): ResultHeader {
  const { num, flag, killed, exitCode, signal } = resultFields(line, 'RESULT');
  return {
    exitCode,
    signal,
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

/** Parses `PEER_RESULT key=value ...` (the peer's stderr follows, `stderrLength` bytes). */
export function parsePeerResultHeader(line: string): Omit<PeerResult, 'stderr'> & { stderrLength: number } {
  const { num, flag, killed, exitCode, signal } = resultFields(line, 'PEER_RESULT');
  return {
    exitCode,
    signal,
    killedBy: killed,
    cpuTimeUs: num('cpu_us'),
    wallTimeUs: num('wall_us'),
    maxRssKb: num('maxrss_kb'),
    stderrLength: num('stderr_len'),
    stderrTruncated: flag('stderr_truncated'),
    exitedFirst: flag('exited_first'),
  };
}
