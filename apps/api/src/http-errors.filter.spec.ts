import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@verdict/contracts';
import { HttpErrorsFilter } from './http-errors.filter';

class KindError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    problems: string[],
  ) {
    super(problems);
  }
}

function answer(exception: unknown): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown };
  const response = { status: (code: number) => ((sent.status = code), response), json: (body: unknown) => (sent.body = body) };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new HttpErrorsFilter().catch(exception, host);
  return sent;
}

describe('HttpErrorsFilter', () => {
  it.each([
    ['invalid', 400, 'Bad Request'],
    ['not-found', 404, 'Not Found'],
    ['conflict', 409, 'Conflict'],
    ['too-large', 413, 'Payload Too Large'],
    ['unavailable', 503, 'Service Unavailable'],
    ['rate-limited', 429, 'Too Many Requests'],
  ] as const)('answers a domain error of kind %s with %i and every message', (kind, status, error) => {
    expect(answer(new KindError(kind, ['tests[0].input: missing', 'language: unknown']))).toEqual({
      status,
      body: { statusCode: status, error, message: ['tests[0].input: missing', 'language: unknown'] },
    });
  });

  it("keeps Nest's own HTTP exceptions in the same shape", () => {
    expect(answer(new NotFoundException('submission not found'))).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: ['submission not found'] },
    });
  });

  it('answers anything unexpected 500 without its internals', () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const sent = answer(new Error('secret internals at /work/main'));
    expect(sent).toEqual({ status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: ['internal error'] } });
  });
});
