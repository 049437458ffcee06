import { SandboxConfig, loadConfig } from '@verdict/config';
import { CpuCoreLeases, parseCoreList } from './cpu-core-leases';

describe('CpuCoreLeases', () => {
  const leases = (cores: string) => new CpuCoreLeases(loadConfig(SandboxConfig, { SANDBOX_CPU_CORES: cores }));

  it('reads core lists with ranges', () => {
    expect(parseCoreList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseCoreList('')).toEqual([]);
  });

  it('hands out the least used core, and pins nothing when no cores are configured', () => {
    const pinned = leases('1,3');
    const [a, b, c] = [pinned.acquire(), pinned.acquire(), pinned.acquire()];
    expect([a, b].sort()).toEqual([1, 3]);
    pinned.release(b);
    expect(pinned.acquire()).toBe(b);
    expect(c).not.toBeNull();
    expect(leases('').acquire()).toBeNull();
  });

  it('refuses a malformed list at start-up, naming the variable', () => {
    expect(() => loadConfig(SandboxConfig, { SANDBOX_CPU_CORES: 'all' })).toThrow(/SANDBOX_CPU_CORES must be a list of cores/);
  });
});
