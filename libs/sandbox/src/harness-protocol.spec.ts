import { PassThrough } from 'node:stream';
import { FrameReader, FrameReaderClosedError, FrameReaderTimeoutError } from './frame-reader';
import { HarnessProtocolError, RunSpec, encodeDelete, encodeFileHeader, encodeRun, parseResultHeader } from './harness-protocol';

const RESULT =
  'RESULT exit_code=0 signal=0 killed=none cpu_us=1500 user_us=1200 sys_us=300 wall_us=2100 maxrss_kb=3400 ' +
  'stdout_len=2 stdout_truncated=0 stderr_len=0 stderr_truncated=1';

const spec = (overrides: Partial<RunSpec> = {}): RunSpec => ({
  argv: ['python3', 'main.py'],
  env: { PATH: '/usr/bin', LANG: 'C.UTF-8' },
  stdinPath: '.input-1',
  cpuTimeMs: 1000,
  wallTimeMs: 3000,
  memoryKb: 262144,
  stackKb: 0,
  fsizeKb: 65536,
  nofile: 256,
  stdoutMaxBytes: 1 << 20,
  stderrMaxBytes: 4096,
  ...overrides,
});

describe('parseResultHeader', () => {
  it('reads every field of a clean exit', () => {
    expect(parseResultHeader(RESULT)).toEqual({
      exitCode: 0,
      signal: null,
      killedBy: 'none',
      cpuTimeUs: 1500,
      userTimeUs: 1200,
      sysTimeUs: 300,
      wallTimeUs: 2100,
      maxRssKb: 3400,
      stdoutLength: 2,
      stdoutTruncated: false,
      stderrLength: 0,
      stderrTruncated: true,
    });
  });

  it('turns exit_code=-1 with a signal into a null exit code and the signal number', () => {
    const parsed = parseResultHeader(RESULT.replace('exit_code=0 signal=0 killed=none', 'exit_code=-1 signal=9 killed=cpu'));
    expect(parsed).toMatchObject({ exitCode: null, signal: 9, killedBy: 'cpu' });
  });

  it.each([
    ['another verb', 'OK', /expected RESULT/],
    ['a missing field', RESULT.replace(' maxrss_kb=3400', ''), /maxrss_kb is missing/],
    ['a non-numeric field', RESULT.replace('cpu_us=1500', 'cpu_us=lots'), /cpu_us is missing or not a valid integer: "lots"/],
    ['a negative measurement', RESULT.replace('wall_us=2100', 'wall_us=-3'), /wall_us/],
    ['an unknown kill reason', RESULT.replace('killed=none', 'killed=boredom'), /killed is invalid: "boredom"/],
    ['a token without a value', `${RESULT} junk`, /malformed token "junk"/],
  ])('rejects %s, naming it', (_what, line, message) => {
    expect(() => parseResultHeader(line)).toThrow(HarnessProtocolError);
    expect(() => parseResultHeader(line)).toThrow(message);
  });
});

describe('command encoding', () => {
  it('encodes a RUN header, then argv and env lines', () => {
    const lines = encodeRun(spec()).split('\n');
    expect(lines[0]).toBe(
      'RUN cpu_ms=1000 wall_ms=3000 mem_kb=262144 stack_kb=0 fsize_kb=65536 nofile=256 stdout_max=1048576 ' +
        'stderr_max=4096 stdin=.input-1 cpu_core=-1 argc=2 envc=2',
    );
    expect(lines.slice(1)).toEqual(['python3', 'main.py', 'PATH=/usr/bin', 'LANG=C.UTF-8', '']);
  });

  it('sends /dev/null as "-" and a pinned core as its number', () => {
    expect(encodeRun(spec({ stdinPath: null, cpuCore: 1 }))).toMatch(/ stdin=- cpu_core=1 /);
  });

  it('refuses what the harness would refuse, before anything is sent', () => {
    expect(() => encodeRun(spec({ argv: [] }))).toThrow(/argv must not be empty/);
    expect(() => encodeRun(spec({ argv: ['a\nRUN'] }))).toThrow(/newline/);
    expect(() => encodeRun(spec({ env: { X: 'a\0b' } }))).toThrow(/NUL/);
    for (const path of ['../etc/passwd', '/abs', 'a/./b', 'sp ace', '']) {
      expect(() => encodeFileHeader(path, 1)).toThrow(HarnessProtocolError);
      expect(() => encodeDelete(path)).toThrow(HarnessProtocolError);
    }
  });

  it('encodes FILE with an octal mode and DELETE', () => {
    expect(encodeFileHeader('src/main.cpp', 12, 0o755)).toBe('FILE src/main.cpp 12 755\n');
    expect(encodeDelete('main.cpp')).toBe('DELETE main.cpp\n');
  });
});

describe('FrameReader', () => {
  const later = () => Date.now() + 1000;

  it('reassembles a header and a payload split across chunks', async () => {
    const stream = new PassThrough();
    const reader = new FrameReader(stream);
    stream.write('RESU');
    stream.write('LT x\nab');
    stream.write('cdef');
    expect(await reader.readLine(4096, later())).toBe('RESULT x');
    expect((await reader.readBytes(5, later())).toString()).toBe('abcde');
    expect((await reader.readBytes(1, later())).toString()).toBe('f');
  });

  it('fails on a line longer than allowed, on end of stream and on timeout', async () => {
    const long = new PassThrough();
    const longReader = new FrameReader(long);
    long.write('x'.repeat(100));
    await expect(longReader.readLine(10, later())).rejects.toThrow(FrameReaderClosedError);

    const ended = new PassThrough();
    const endedReader = new FrameReader(ended);
    ended.end('partial');
    await expect(endedReader.readLine(4096, later())).rejects.toThrow(/stream ended/);

    const silent = new FrameReader(new PassThrough());
    await expect(silent.readBytes(1, Date.now() + 20)).rejects.toThrow(FrameReaderTimeoutError);
  });
});
