import { LookupAddress, LookupOptions, promises as dns } from 'node:dns';
import { LookupFunction } from 'node:net';
import { CallbackAddressPolicy } from './callback-address-policy';

/** Every address a host name resolves to. */
export type AddressResolver = (hostname: string) => Promise<LookupAddress[]>;

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), every address in its order. */
export const systemResolver: AddressResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** The callback's host resolved to addresses the judge may not call; nothing was connected to. */
export class CallbackAddressRefusedError extends Error {
  readonly code = 'ECALLBACKREFUSED';
}

/**
 * A `lookup` for the HTTP agent that resolves the host and hands the socket only addresses the
 * policy allows: the address checked is the address connected to, so a name that resolves to a
 * public address when checked and to an internal one when connecting (DNS rebinding) gets nowhere.
 * Addresses refused are dropped; when none is left the connection fails with
 * CallbackAddressRefusedError before any packet is sent.
 */
export function guardedLookup(policy: CallbackAddressPolicy, resolve: AddressResolver): LookupFunction {
  return (hostname, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        const candidates = resolved.filter((a) => family === 0 || a.family === family);
        if (candidates.length === 0) {
          const error = Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' });
          return callback(error, '', 0);
        }
        const refusals = candidates.map((a) => policy.refusalOf(a.address));
        const permitted = candidates.filter((_, i) => refusals[i] === null);
        if (permitted.length === 0) {
          return callback(new CallbackAddressRefusedError(`${hostname} refused: ${refusals.join('; ')}`), '', 0);
        }
        if (options.all) return callback(null, permitted);
        callback(null, permitted[0].address, permitted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
