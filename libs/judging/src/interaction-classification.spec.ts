import { PeerResult, RunResult } from '@verdict/sandbox';
import { classifyInteraction } from './interaction-classification';

const limits = { cpuTimeMs: 1000, wallTimeMs: 3000, memoryKb: 256 * 1024 };

const program = (overrides: Partial<RunResult> = {}): RunResult => ({
  exitCode: 0,
  signal: null,
  killedBy: 'none',
  cpuTimeUs: 5000,
  userTimeUs: 4000,
  sysTimeUs: 1000,
  wallTimeUs: 9000,
  maxRssKb: 4000,
  stdout: Buffer.alloc(0),
  stdoutTruncated: false,
  stderr: Buffer.alloc(0),
  stderrTruncated: false,
  ...overrides,
});

const peer = (overrides: Partial<PeerResult> = {}): PeerResult => ({
  exitCode: 0,
  signal: null,
  killedBy: 'none',
  cpuTimeUs: 1000,
  wallTimeUs: 9000,
  maxRssKb: 2000,
  stderr: Buffer.from('found in 7 guesses'),
  stderrTruncated: false,
  exitedFirst: false,
  ...overrides,
});

describe('classifyInteraction', () => {
  it("takes the interactor's verdict when the submission ended cleanly", () => {
    expect(classifyInteraction(program(), peer(), limits)).toEqual({ verdict: 'AC', score: 1, message: 'found in 7 guesses' });
    expect(classifyInteraction(program(), peer({ exitCode: 1, stderr: Buffer.from('too many guesses') }), limits)).toMatchObject({ verdict: 'WA', message: 'too many guesses' });
  });

  it("keeps the interactor's rejection when it ended first, whatever the submission did once its input closed", () => {
    const hung = program({ killedBy: 'wall', exitCode: null, signal: 9, wallTimeUs: 3_100_000 });
    expect(classifyInteraction(hung, peer({ exitCode: 1, exitedFirst: true }), limits)).toMatchObject({ verdict: 'WA' });
    const piped = program({ exitCode: null, signal: 13 });
    expect(classifyInteraction(piped, peer({ exitCode: 2, exitedFirst: true }), limits)).toMatchObject({ verdict: 'PE' });
  });

  it("gives the submission's own limit or crash when the interactor did not reject first", () => {
    expect(classifyInteraction(program({ killedBy: 'cpu', exitCode: null, signal: 9 }), peer({ exitCode: 1 }), limits)).toMatchObject({ verdict: 'TLE' });
    expect(classifyInteraction(program({ exitCode: null, signal: 11 }), peer({ exitCode: 2 }), limits)).toMatchObject({ verdict: 'RE', message: 'killed by signal SIGSEGV' });
    expect(classifyInteraction(program({ exitCode: null, signal: 11 }), peer({ exitedFirst: true }), limits)).toMatchObject({ verdict: 'RE' });
  });

  it("gives the submission's own failure when it ended first, even where the interactor then rejected (the Kattis rule)", () => {
    // The harness shows a side the other's end only after recording it, so "first" follows cause and effect.
    expect(classifyInteraction(program({ exitCode: 1 }), peer({ exitCode: 1, exitedFirst: false }), limits)).toMatchObject({ verdict: 'RE', message: 'exit code 1' });
    expect(classifyInteraction(program({ exitCode: null, signal: 13 }), peer({ exitCode: 1, exitedFirst: true }), limits)).toMatchObject({ verdict: 'WA' });
    expect(classifyInteraction(program({ exitCode: 1 }), peer({ exitCode: 0 }), limits)).toMatchObject({ verdict: 'RE', message: 'exit code 1' });
    expect(classifyInteraction(program({ exitCode: 1 }), peer({ exitCode: 0, exitedFirst: true }), limits)).toMatchObject({ verdict: 'RE' });
  });

  it("prefers the submission's own failure to an interactor that failed after it", () => {
    expect(classifyInteraction(program({ exitCode: 3 }), peer({ exitCode: null, signal: 13 }), limits)).toMatchObject({ verdict: 'RE', message: 'exit code 3' });
    expect(classifyInteraction(program({ killedBy: 'memory', exitCode: null, signal: 9, maxRssKb: 300 * 1024 }), peer({ exitCode: 3 }), limits)).toMatchObject({ verdict: 'MLE' });
  });

  it('calls an interactor that fails, crashes or runs out of its limits a failure of the judge', () => {
    expect(classifyInteraction(program(), peer({ exitCode: 3, stderr: Buffer.from('bad test') }), limits)).toEqual({
      failure: 'the interactor failed: it reported a failure (exit code 3): bad test (it said: bad test)',
    });
    expect(classifyInteraction(program(), peer({ killedBy: 'cpu' }), limits)).toEqual({ failure: 'the interactor exceeded its cpu limit' });
    expect(classifyInteraction(program(), peer({ exitCode: null, signal: 11 }), limits)).toHaveProperty('failure');
  });
});
