import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { Server, Socket, createServer } from 'node:net';
import { join } from 'node:path';

/** Where a sandbox sees its harness socket's directory (bind-mounted, read-only). */
export const HARNESS_SOCKET_MOUNT = '/run/verdict';
const SOCKET_NAME = 'harness.sock';

/**
 * The unix socket one sandbox's harness talks to the worker over (`verdict-harness --connect`),
 * instead of the container's attached stdio, which passes every byte through dockerd (about half a
 * millisecond per exchange). Its directory is bind-mounted into the sandbox; it is mode 0700 when
 * the worker is root (programs, another uid without capabilities, cannot even reach the socket),
 * and either way only the first connection is taken: the harness connects before any program runs,
 * and anything that connects later is hung up on.
 */
export class HarnessSocket {
  private readonly server: Server;
  private readonly connected: Promise<Socket>;

  private constructor(
    readonly directory: string,
    server: Server,
  ) {
    this.server = server;
    this.connected = new Promise<Socket>((resolve) => {
      let taken = false;
      server.on('connection', (socket) => {
        if (taken) return void socket.destroy();
        taken = true;
        resolve(socket);
      });
    });
  }

  /** A fresh socket in a directory of its own below `parent` (e.g. SANDBOX_SOCKET_DIR/<worker id>). */
  static async listen(parent: string): Promise<HarnessSocket> {
    const directory = join(parent, randomBytes(12).toString('hex'));
    await mkdir(directory, { recursive: true, mode: process.getuid?.() === 0 ? 0o700 : 0o711 });
    const server = createServer();
    server.on('error', () => undefined); // a failed listen is reported below; later errors end the connection only
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(join(directory, SOCKET_NAME), () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new HarnessSocket(directory, server);
  }

  /** The path the harness connects to, inside the sandbox. */
  get pathInSandbox(): string {
    return `${HARNESS_SOCKET_MOUNT}/${SOCKET_NAME}`;
  }

  /** The harness's connection, or a rejection after timeoutMs (the container did not start it). */
  async connection(timeoutMs: number): Promise<Socket> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the harness did not connect within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.connected, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.directory, { recursive: true, force: true });
  }
}
