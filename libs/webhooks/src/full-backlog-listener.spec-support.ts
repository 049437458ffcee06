import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { Worker } from 'node:worker_threads';

/** The listen(2) backlog: Linux queues this many connections plus one before it drops SYNs. */
const BACKLOG = 1;

/**
 * Listens on 127.0.0.1 with a backlog of 1 in a thread that blocks (Atomics.wait) as soon as it
 * listens, so nothing ever accepts; the server is closed when the thread is released.
 */
const LISTENER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: ${BACKLOG} }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(workerData.gate, 0, 0);
  server.close();
});
`;

/**
 * A TCP port on this machine's loopback where a connection is never established: a listening
 * socket that nobody accepts from, its accept queue filled by connections of its own. Linux drops
 * every further SYN (the accept queue is full, tcp_conn_request), so a client's connect neither
 * succeeds nor is refused: it waits, as for a receiver whose host drops packets, until the client
 * gives up. Nothing is sent anywhere but 127.0.0.1. Linux only (it reads /proc/net/tcp to know the
 * queue is full before any client is pointed at it).
 */
export class FullBacklogListener {
  port = 0;
  private thread: Worker | null = null;
  private readonly gate = new Int32Array(new SharedArrayBuffer(4));
  private readonly fillers: net.Socket[] = [];

  async start(deadlineMs = 10000): Promise<void> {
    const thread = new Worker(LISTENER_THREAD, { eval: true, workerData: { gate: this.gate } });
    this.thread = thread;
    this.port = await new Promise<number>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    const deadline = Date.now() + deadlineMs;
    // Full once it holds more than the backlog (sk_acceptq_is_full); each filler is in the queue once counted there.
    while ((await this.queued()) <= BACKLOG) {
      const filler = net.connect(this.port, '127.0.0.1');
      this.fillers.push(filler);
      await new Promise<void>((resolve, reject) => {
        filler.once('connect', resolve);
        filler.once('error', reject);
      });
      while ((await this.queued()) < this.fillers.length) {
        if (Date.now() > deadline) throw new Error(`the accept queue of port ${this.port} holds ${await this.queued()} connections, not the ${this.fillers.length} made`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /** Releases the thread, which closes the listening socket (queued connections are reset), and drops the fillers. */
  async stop(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.thread = null;
    const exited = new Promise((resolve) => thread.once('exit', resolve));
    Atomics.store(this.gate, 0, 1);
    Atomics.notify(this.gate, 0);
    await exited;
    for (const filler of this.fillers.splice(0)) filler.destroy();
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** How many established connections wait in the listening socket's accept queue (its rx_queue in /proc/net/tcp). */
  private async queued(): Promise<number> {
    const local = `0100007F:${this.port.toString(16).toUpperCase().padStart(4, '0')}`;
    const table = await readFile('/proc/net/tcp', 'utf8');
    for (const line of table.split('\n').slice(1)) {
      const [, localAddress, remoteAddress, state, queues] = line.trim().split(/\s+/);
      // 0A: LISTEN. For a listening socket, rx_queue is the length of its accept queue.
      if (localAddress === local && remoteAddress === '00000000:0000' && state === '0A') return parseInt(queues.split(':')[1], 16);
    }
    throw new Error(`no listening socket on 127.0.0.1:${this.port} in /proc/net/tcp`);
  }
}
