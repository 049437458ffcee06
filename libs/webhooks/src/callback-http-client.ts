import { Injectable } from '@nestjs/common';
import { WebhookDeliveryConfig } from '@verdict/config';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { CallbackAddressPolicy } from './callback-address-policy';
import { AddressResolver, CallbackAddressRefusedError, guardedLookup } from './guarded-lookup';

/** What the receiver answered: its status, the start of its body, and when it asked to be tried again. */
export interface CallbackResponse {
  statusCode: number;
  body: string;
  bodyTruncated: boolean;
  /** From a Retry-After header (seconds or an HTTP date), in ms from now; null without one. */
  retryAfterMs: number | null;
}

/**
 * How one POST to a callback ended. `unreachable`: no answer (timeouts, refused or reset
 * connections, DNS failures), worth another try. `refused`: the judge would not connect, the
 * address being internal; trying again cannot help. `interrupted`: this process cut it short.
 */
export type CallbackOutcome =
  | { kind: 'answered'; response: CallbackResponse }
  | { kind: 'unreachable'; error: string }
  | { kind: 'refused'; error: string }
  | { kind: 'interrupted' };

/** Retry-After as ms from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  if (header === undefined || header.trim() === '') return null;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * POSTs webhook bodies to callback URLs without letting a URL reach inside the judge's network:
 * the host's addresses are checked when the socket connects (guardedLookup; an IP literal, which is
 * never looked up, before the request), redirects are not followed, each try has a connect and a
 * total timeout, a fresh connection, and keeps at most WEBHOOK_RESPONSE_BODY_MAX_BYTES of the answer.
 * No proxy settings apply.
 */
@Injectable()
export class CallbackHttpClient {
  private readonly policy: CallbackAddressPolicy;
  private readonly lookup;

  constructor(
    private readonly config: WebhookDeliveryConfig,
    resolve: AddressResolver,
  ) {
    this.policy = new CallbackAddressPolicy(config.allowedCidrs());
    this.lookup = guardedLookup(this.policy, resolve);
  }

  post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<CallbackOutcome> {
    const target = new URL(url);
    const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal)) {
      const refusal = this.policy.refusalOf(literal);
      if (refusal) return Promise.resolve({ kind: 'refused', error: refusal });
    }
    const { WEBHOOK_CONNECT_TIMEOUT_MS: connectMs, WEBHOOK_TIMEOUT_MS: totalMs, WEBHOOK_RESPONSE_BODY_MAX_BYTES: maxBytes } = this.config;
    return new Promise<CallbackOutcome>((resolve) => {
      const request = (target.protocol === 'https:' ? https : http).request(target, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Verdict-Webhooks/1' },
        lookup: this.lookup,
        agent: false,
      });
      let settled = false;
      const finish = (outcome: CallbackOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        signal.removeEventListener('abort', onAbort);
        request.destroy();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ kind: 'interrupted' });
      const connectTimer = setTimeout(() => finish({ kind: 'unreachable', error: `no connection within ${connectMs} ms (WEBHOOK_CONNECT_TIMEOUT_MS)` }), connectMs);
      const totalTimer = setTimeout(() => finish({ kind: 'unreachable', error: `no complete answer within ${totalMs} ms (WEBHOOK_TIMEOUT_MS)` }), totalMs);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);

      request.on('socket', (socket) => socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer)));
      request.on('error', (error: NodeJS.ErrnoException) =>
        finish(error instanceof CallbackAddressRefusedError ? { kind: 'refused', error: error.message } : { kind: 'unreachable', error: describeNetworkError(error) }),
      );
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let truncated = false;
        const answered = (): void =>
          finish({
            kind: 'answered',
            response: {
              statusCode: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              bodyTruncated: truncated,
              retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()),
            },
          });
        response.on('data', (chunk: Buffer) => {
          const room = maxBytes - kept;
          chunks.push(chunk.subarray(0, room));
          kept += Math.min(chunk.length, room);
          // The rest of a long answer is not waited for: the status is what counts.
          if (chunk.length > room) {
            truncated = true;
            answered();
          }
        });
        response.on('end', answered);
        // The status arrived; an answer cut short after it still counts as answered.
        response.on('error', answered);
      });
      request.end(body);
    });
  }
}

/** A socket error for the record: Node's message, or (for a failed connection to each of several addresses) every one of them. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map((e: Error) => e.message).join('; ');
  return error.message || error.code || 'network error';
}
