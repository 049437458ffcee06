import { Logger } from '@nestjs/common';
import { ByteStream, CHECKERS, chunksOf } from '@verdict/checkers';
import { CheckerSpec, JudgeJobPayload, JudgeTestDto, TestData, isStoredData } from '@verdict/contracts';
import { SandboxPool } from '@verdict/sandbox';
import { OutputVerifiers } from './output-verifiers';
import { ProblemProgramBuilder } from './problem-program-builder';
import { RunSpecs } from './run-specs';
import { SandboxSpecs } from './sandbox-specs';
import { TestDataSource, TestDataUnavailableError } from './test-data-source';

/** Inline answers as they are; a stored answer's stream fails after its first chunk, as a vanished file would. */
class FakeTestData extends TestDataSource {
  async read(data: TestData): Promise<Buffer> {
    if (isStoredData(data)) throw new TestDataUnavailableError('gone');
    return Buffer.from(data.text);
  }

  async *stream(data: TestData): ByteStream {
    if (!isStoredData(data)) {
      yield* chunksOf(Buffer.from(data.text));
      return;
    }
    yield Buffer.from('1 ');
    throw new TestDataUnavailableError(`stored test data ${data.sha256} went missing`);
  }
}

describe('built-in output verification', () => {
  const verifiers = new OutputVerifiers(new FakeTestData(), {} as ProblemProgramBuilder, {} as SandboxPool, {} as SandboxSpecs, {} as RunSpecs);
  const verify = async (checker: CheckerSpec, answer: TestData, output: string) => {
    const verifier = await verifiers.open({ checker } as JudgeJobPayload);
    const test: JudgeTestDto = { index: 0, name: '1', input: { text: '' }, answer };
    return verifier.verify(test, Buffer.from(output));
  };

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('streams the answer to the checker and answers AC or WA with its message', async () => {
    expect(await verify({ type: 'tokens' }, { text: '1 2\n' }, '1\n2')).toEqual({ verdict: 'AC', score: 1, message: '' });
    expect(await verify({ type: 'tokens' }, { text: '1 2\n' }, '1 3')).toEqual({ verdict: 'WA', score: 0, message: 'token 2: expected "2", got "3"' });
  });

  it('answers WA, never IE, for a function result nested 100,000 deep', async () => {
    const result = await verify({ type: 'json' }, { text: '[1]' }, '['.repeat(100_000) + ']'.repeat(100_000));
    expect(result).toMatchObject({ verdict: 'WA', score: 0, message: expect.stringContaining('nested deeper than 1000 levels') });
  });

  it('turns anything a built-in checker throws on an output into WA with a message, and warns', async () => {
    jest.spyOn(CHECKERS.tokens, 'check').mockRejectedValue(new RangeError('Maximum call stack size exceeded'));
    expect(await verify({ type: 'tokens' }, { text: '1\n' }, '1\n')).toEqual({
      verdict: 'WA',
      score: 0,
      message: 'the tokens checker could not judge this output (RangeError: Maximum call stack size exceeded)',
    });
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('the tokens checker failed on the output of test 1'));
  });

  it('lets a failure to read the answer through: that is the judge\'s error, not a verdict', async () => {
    const stored = { sha256: 'a'.repeat(64), bytes: 10 };
    await expect(verify({ type: 'tokens' }, stored, '1 2 3')).rejects.toThrow(TestDataUnavailableError);
    await expect(verify({ type: 'exact' }, stored, '1 2 3')).rejects.toThrow(TestDataUnavailableError);
  });
});
