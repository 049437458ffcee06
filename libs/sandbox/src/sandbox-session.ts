import { Writable } from 'node:stream';
import {
  MAX_HEADER_BYTES,
  PeerResult,
  PeerSpec,
  RESET_COMMAND,
  RunResult,
  RunSpec,
  encodeDelete,
  encodeFileHeader,
  encodePeer,
  encodeRead,
  encodeRun,
  parsePeerResultHeader,
  parseResultHeader,
} from './harness-protocol';
import { FrameReader } from './frame-reader';
import { SandboxBrokenError, SandboxResetUnsupportedError } from './sandbox.errors';

/** A file to write into the sandbox (see harness/PROTOCOL.md, "Paths"). */
export interface SandboxFile {
  path: string;
  content: Buffer | string;
  /** Permission bits; default 644. */
  mode?: number;
}

/**
 * How a broken sandbox's container ended, as Docker saw it: what a judge needs to tell a program
 * that destroyed its own sandbox from a fault of the judge or of Docker.
 */
export type SandboxEnding =
  /** The harness is alive: it hung or broke the protocol. */
  | { kind: 'running' }
  /** The harness (PID 1) is gone; oomKilled: the kernel's OOM killer acted in the container. */
  | { kind: 'exited'; exitCode: number; oomKilled: boolean }
  /** The container is gone: removed (shutdown, the judge's watchdog, an operator) or lost by Docker. */
  | { kind: 'gone' };

/** How long a command other than RUN may take before the harness counts as hung. */
const COMMAND_TIMEOUT_MS = 30000;

/**
 * One started sandbox container, driven through its harness. Commands run one at a time, in order.
 * Any harness failure breaks the session for good: the owner must close it.
 */
export class SandboxSession {
  private chain: Promise<unknown> = Promise.resolve();
  private broken: Error | null = null;
  private closed = false;
  /** The container's attach stream ended: the harness (PID 1) is gone, so is the container. */
  private disconnected = false;
  /** The core this session's runs are pinned to while it is leased out (SANDBOX_CPU_CORES), or null. */
  cpuCore: number | null = null;

  constructor(
    readonly containerId: string,
    private readonly stdin: Writable,
    private readonly reader: FrameReader,
    private readonly diagnostics: () => string,
    private readonly harnessGraceMs: number,
    private readonly onClose: (session: SandboxSession) => Promise<void>,
    private readonly inspectEnding: () => Promise<SandboxEnding>,
    /** Told once, when an exchange with the harness breaks the session (a RESET's: 'reset'). */
    private readonly onBreak: (phase: 'run' | 'reset') => void = () => undefined,
  ) {}

  /** Writes a file into the sandbox's work dir (path relative to it, never escaping it). */
  writeFile(path: string, content: Buffer | string, mode = 0o644): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return this.command(() => encodeFileHeader(path, data.length, mode), async (header) => {
      const deadline = Date.now() + COMMAND_TIMEOUT_MS;
      await this.send(header, deadline);
      await this.send(data, deadline);
      await this.expectOk(`FILE ${path}`);
    });
  }

  deleteFile(path: string): Promise<void> {
    return this.command(() => encodeDelete(path), async (header) => {
      await this.send(header, Date.now() + COMMAND_TIMEOUT_MS);
      await this.expectOk(`DELETE ${path}`);
    });
  }

  /**
   * A file from the sandbox (at most maxBytes), e.g. a compiled program to cache; null, with the
   * harness's reason, when there is none that can be sent (missing, not a regular file, too large).
   */
  readFile(path: string, maxBytes: number): Promise<{ data: Buffer } | { missing: string }> {
    return this.command(() => encodeRead(path, maxBytes), async (header) => {
      await this.send(header, Date.now() + COMMAND_TIMEOUT_MS);
      const line = await this.reader.readLine(MAX_HEADER_BYTES, Date.now() + COMMAND_TIMEOUT_MS);
      if (line.startsWith('ERR ')) return { missing: line.slice(4) };
      const data = /^DATA (\d+)$/.exec(line);
      if (!data) throw new SandboxBrokenError(`READ ${path}: unexpected reply ${JSON.stringify(line.slice(0, 200))}`);
      return { data: await this.reader.readBytes(Number(data[1]), Date.now() + COMMAND_TIMEOUT_MS) };
    });
  }

  /** Runs one program; on the session's pinned core unless the spec names one. */
  run(spec: RunSpec): Promise<RunResult> {
    return this.runWith([], spec);
  }

  /**
   * Writes files, then runs a program, in one exchange: everything is sent at once and the replies
   * are read in order, so a test costs one round trip through the container's attach stream, not
   * one per command (the judge's per-test path).
   */
  runWith(files: SandboxFile[], spec: RunSpec): Promise<RunResult> {
    const encode = () => ({
      files: files.map((file) => {
        const data = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
        return { path: file.path, header: encodeFileHeader(file.path, data.length, file.mode ?? 0o644), data };
      }),
      run: encodeRun({ cpuCore: this.cpuCore, ...spec, peer: false }),
    });
    return this.command(encode, async ({ files: written, run }) => {
      // One write for the whole exchange: each write is a wake-up of dockerd and the container runtime.
      await this.send(Buffer.concat([...written.flatMap((file) => [Buffer.from(file.header), file.data]), Buffer.from(run)]), Date.now() + COMMAND_TIMEOUT_MS);
      for (const file of written) await this.expectOk(`FILE ${file.path}`);
      return this.readRunResult(Date.now() + spec.wallTimeMs + this.harnessGraceMs);
    });
  }

  /** Runs the program against a peer (an interactor), each side's stdout feeding the other's stdin. */
  runInteractive(program: Omit<RunSpec, 'stdinPath' | 'peer'>, peer: PeerSpec): Promise<{ program: RunResult; peer: PeerResult }> {
    const encode = () => encodePeer(peer) + encodeRun({ cpuCore: this.cpuCore, ...program, stdinPath: null, peer: true });
    return this.command(encode, async (commands) => {
      await this.send(commands, Date.now() + COMMAND_TIMEOUT_MS);
      await this.expectOk('PEER');
      const deadline = Date.now() + Math.max(program.wallTimeMs, peer.wallTimeMs) + this.harnessGraceMs;
      const ran = await this.readRunResult(deadline);
      const line = await this.reader.readLine(MAX_HEADER_BYTES, deadline);
      const header = parsePeerResultHeader(line);
      const stderr = await this.reader.readBytes(header.stderrLength, deadline);
      const { stderrLength: _e, ...measured } = header;
      return { program: ran, peer: { ...measured, stderr } };
    });
  }

  /**
   * Makes the sandbox fit for another submission (harness RESET: every process killed, every scratch
   * directory and IPC object gone, verified, a fresh uid). Throws SandboxBrokenError when it cannot
   * prove that; the session is then unusable and must be closed.
   */
  reset(): Promise<void> {
    return this.command(
      () => RESET_COMMAND,
      async (header) => {
        await this.send(header, Date.now() + COMMAND_TIMEOUT_MS);
        const line = await this.reader.readLine(MAX_HEADER_BYTES, Date.now() + COMMAND_TIMEOUT_MS);
        if (line === 'OK') return;
        if (line.startsWith('ERR RESET unsupported: ')) throw new SandboxResetUnsupportedError(line.slice('ERR RESET unsupported: '.length));
        throw new SandboxBrokenError(line.startsWith('ERR ') ? line.slice(4) : `RESET: unexpected reply ${JSON.stringify(line.slice(0, 200))}`);
      },
      'reset',
    );
  }

  private async readRunResult(deadline: number): Promise<RunResult> {
    const line = await this.reader.readLine(MAX_HEADER_BYTES, deadline);
    if (line.startsWith('ERR ')) throw new SandboxBrokenError(`harness refused RUN: ${line.slice(4)}`);
    const result = parseResultHeader(line);
    const stdout = await this.reader.readBytes(result.stdoutLength, deadline);
    const stderr = await this.reader.readBytes(result.stderrLength, deadline);
    const { stdoutLength: _o, stderrLength: _e, ...measured } = result;
    return { ...measured, stdout, stderr };
  }

  /** Ends the session and hands the container back for removal. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.broken) this.stdin.end('EXIT\n');
    await this.onClose(this);
  }

  /**
   * Breaks the session now (a watchdog's last resort): whatever waits on the harness fails, and the
   * container is removed.
   */
  async abort(reason: string): Promise<void> {
    this.broken ??= new SandboxBrokenError(reason);
    await this.close();
  }

  /** How the container ended; for a session whose harness failed, before it is closed. */
  ending(): Promise<SandboxEnding> {
    return this.inspectEnding();
  }

  /** Whether the session can still take commands (a pooled one may have died while it waited). */
  get isUsable(): boolean {
    return !this.closed && !this.broken && !this.disconnected;
  }

  /** Called by the runner when the container's attach stream ends. */
  markDisconnected(): void {
    this.disconnected = true;
  }

  /**
   * Runs one exchange after the previous one. `encode` may throw (bad path, bad spec) before anything
   * is sent, which leaves the session usable; a failure during the exchange breaks it.
   */
  private command<C, T>(encode: () => C, exchange: (encoded: C) => Promise<T>, phase: 'run' | 'reset' = 'run'): Promise<T> {
    const result = this.chain.then(async () => {
      if (this.closed) throw new SandboxBrokenError('sandbox session is closed');
      if (this.broken) throw this.broken;
      const header = encode();
      try {
        return await exchange(header);
      } catch (error) {
        // A failure of the sandbox, once: not one that follows an abort (the watchdog's), nor a
        // runtime that cannot prove a reset (the container itself is fine).
        if (!this.broken && !(error instanceof SandboxResetUnsupportedError)) this.onBreak(phase);
        this.broken = this.describe(error);
        throw this.broken;
      }
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  private describe(error: unknown): Error {
    if (error instanceof SandboxBrokenError) return error;
    const detail = this.diagnostics().trim();
    return new SandboxBrokenError(
      `sandbox harness failed: ${(error as Error).message}${detail ? ` (harness said: ${detail.slice(-500)})` : ''}`,
    );
  }

  /**
   * Writes to the harness; settles on every path. Node calls a write's callback without an error
   * when the peer dies with the write queued, and 'drain' then never comes: a harness killed (by
   * the OOM killer, say) while a test's input was being sent held the judge forever. So a close or
   * an error of the channel rejects, and so does the deadline.
   */
  private send(data: string | Buffer, deadline: number): Promise<void> {
    const channel = this.stdin;
    return new Promise((resolve, reject) => {
      if (channel.destroyed || channel.writableEnded) return reject(new SandboxBrokenError('the harness connection is closed'));
      let timer: NodeJS.Timeout | undefined;
      const settle = (error?: Error) => {
        clearTimeout(timer);
        channel.off('drain', onDrain).off('close', onClose).off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new SandboxBrokenError('the harness closed its connection while the judge was sending to it'));
      const flushed = channel.write(data, (error) => (error ? settle(error) : undefined));
      if (flushed) return settle();
      channel.once('drain', onDrain).once('close', onClose).once('error', settle);
      const waitMs = Math.max(0, deadline - Date.now());
      timer = setTimeout(() => settle(new SandboxBrokenError(`the harness took no input for ${waitMs} ms`)), waitMs);
    });
  }

  private async expectOk(what: string): Promise<void> {
    const line = await this.reader.readLine(MAX_HEADER_BYTES, Date.now() + COMMAND_TIMEOUT_MS);
    if (line === 'OK') return;
    if (line.startsWith('ERR ')) throw new SandboxBrokenError(`${what} refused by the harness: ${line.slice(4)}`);
    throw new SandboxBrokenError(`${what}: unexpected reply ${JSON.stringify(line.slice(0, 200))}`);
  }
}
