import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as the receiver got it, and whether its Standard Webhooks signature verified. */
export interface ReceivedWebhook {
  path: string;
  /** Date.now() when the request had arrived in full. */
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The parsed payload when the signature verified (standardwebhooks), else null. */
  payload: any;
  verificationError: string | null;
}

export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real HTTP server on this machine's loopback receiving webhooks the way a platform would: each
 * request verified with the `standardwebhooks` library, recorded, and answered as the test says
 * (`answer`, which may wait). It can go down (connections refused) and come back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** TCP connections accepted so far. */
  connections = 0;
  answer: (request: ReceivedWebhook) => ReceiverAnswer | Promise<ReceiverAnswer> = () => ({ status: 204 });
  private readonly arrivals = new EventEmitter();
  private server: http.Server | null = null;
  private port = 0;

  /** The secret signatures are verified with: the tenant's, once the stack has made it (`stack.webhookSecret()`). */
  constructor(public secret: string) {}

  /** Starts listening: on `port` if given, else on the port it had before, if it had one (a receiver back up). */
  async start(port = this.port): Promise<void> {
    const server = http.createServer((request, response) => void this.receive(request, response));
    server.on('connection', () => this.connections++);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening: connections are refused until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Everything received with this webhook-id, in order of arrival. */
  receivedFor(eventId: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.headers['webhook-id'] === eventId);
  }

  /** Resolves once `condition` holds over what was received (checked now and at each arrival). */
  async until(condition: (received: ReceivedWebhook[]) => boolean, timeoutMs = 60000): Promise<void> {
    if (condition(this.received)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.arrivals.off('arrival', check);
        reject(new Error(`the receiver did not get what was expected within ${timeoutMs} ms; it got ${this.received.length} requests`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition(this.received)) return;
        clearTimeout(timer);
        this.arrivals.off('arrival', check);
        resolve();
      };
      this.arrivals.on('arrival', check);
    });
  }

  private async receive(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let payload: any = null;
    let verificationError: string | null = null;
    try {
      payload = new Webhook(this.secret).verify(body, request.headers as Record<string, string>);
    } catch (error) {
      verificationError = (error as Error).message;
    }
    const received: ReceivedWebhook = { path: request.url ?? '/', at: Date.now(), headers: request.headers, body, payload, verificationError };
    this.received.push(received);
    this.arrivals.emit('arrival');
    const answer = await this.answer(received);
    response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
  }
}
