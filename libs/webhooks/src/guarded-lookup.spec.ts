import { LookupAddress, LookupOptions } from 'node:dns';
import { CallbackAddressPolicy } from './callback-address-policy';
import { AddressResolver, CallbackAddressRefusedError, guardedLookup } from './guarded-lookup';

/**
 * The lookup the HTTP agent calls, given a resolver that answers what a test says (no DNS, and no
 * socket: these addresses are never connected to, here or anywhere).
 */
function lookUp(resolver: AddressResolver, hostname: string, options: LookupOptions, allowed: string[] = []): Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) => {
    guardedLookup(new CallbackAddressPolicy(allowed), resolver)(hostname, options, (error, address, family) => resolve({ error, address, family }));
  });
}

const answering =
  (...addresses: string[]): AddressResolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('guardedLookup', () => {
  it.each([
    ['a private address', '10.0.0.5'],
    ['a link-local (cloud metadata) address', '169.254.169.254'],
    ['a CGNAT address', '100.64.12.1'],
    ['a unique-local IPv6 address', 'fd00::7'],
    ['an IPv4-mapped IPv6 address', '::ffff:10.0.0.5'],
    ['a multicast address', '239.1.1.1'],
  ])('fails the connection, naming the reason, when the name resolves to %s', async (_what, address) => {
    const looked = await lookUp(answering(address), 'rebinding.example', { all: true });
    expect(looked.error).toBeInstanceOf(CallbackAddressRefusedError);
    expect(looked.error!.message).toContain(`rebinding.example refused: ${address} is a`);
  });

  it('hands the socket only the permitted addresses of a name that has both kinds', async () => {
    const looked = await lookUp(answering('10.0.0.5', '93.184.215.14', 'fd00::7', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'), 'mixed.example', { all: true });
    expect(looked.error).toBeNull();
    expect(looked.address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it('answers one address when the socket asks for one, of the family asked for', async () => {
    expect(await lookUp(answering('2606:4700::1111', '1.1.1.1'), 'one.example', { family: 4 })).toEqual({ error: null, address: '1.1.1.1', family: 4 });
    expect(await lookUp(answering('2606:4700::1111', '1.1.1.1'), 'one.example', {})).toEqual({ error: null, address: '2606:4700::1111', family: 6 });
  });

  it('lets the allowlist open an internal address', async () => {
    const looked = await lookUp(answering('127.0.0.1'), 'localhost', { all: true }, ['127.0.0.1/32']);
    expect(looked).toEqual({ error: null, address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
  });

  it('passes the resolver\'s own failure on (a name that does not resolve is worth another try)', async () => {
    const failing: AddressResolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    };
    const looked = await lookUp(failing, 'nowhere.example', { all: true });
    expect(looked.error).not.toBeInstanceOf(CallbackAddressRefusedError);
    expect(looked.error!.message).toMatch(/ENOTFOUND/);
  });
});
