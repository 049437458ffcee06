import { ArgumentsHost, HttpException, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@verdict/contracts';
import { HttpErrorsFilter } from './http-errors.filter';
import { MalformedJsonException } from './request-bodies';

class KindError extends DomainError {
  constructor(
    readonly kind: DomainErrorKind,
    problems: ConstructorParameters<typeof DomainError>[0],
  ) {
    super(problems);
  }
}

function answer(exception: unknown, url = '/v1/submissions?wait=true'): { status: number; type: string; body: unknown } {
  const sent = { status: 0, type: '', body: undefined as unknown };
  const response = {
    status: (code: number) => ((sent.status = code), response),
    type: (type: string) => ((sent.type = type), response),
    send: (body: unknown) => (sent.body = body),
  };
  const request = { url, routeOptions: { bodyLimit: 1024 } };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
  new HttpErrorsFilter().catch(exception, host);
  return sent;
}

const TYPE = 'https://verdict.dev/problems/';

describe('HttpErrorsFilter', () => {
  it('answers an invalid request 400 as problem+json, with every field at fault in errors', () => {
    const problems = [{ field: 'tests[0].input', message: 'tests[0].input must be a string' }, 'the request as a whole is wrong'];
    expect(answer(new KindError('invalid', problems))).toEqual({
      status: 400,
      type: 'application/problem+json',
      body: {
        type: `${TYPE}invalid-request`,
        title: 'Invalid request',
        status: 400,
        detail: 'tests[0].input must be a string; the request as a whole is wrong',
        instance: '/v1/submissions',
        errors: [
          { field: 'tests[0].input', message: 'tests[0].input must be a string' },
          { field: null, message: 'the request as a whole is wrong' },
        ],
      },
    });
  });

  it.each([
    ['not-found', 404, 'not-found', 'Not found'],
    ['conflict', 409, 'conflict', 'Conflict'],
    ['too-large', 413, 'too-large', 'Request too large'],
    ['unavailable', 503, 'unavailable', 'Service unavailable'],
    ['rate-limited', 429, 'rate-limited', 'Too many requests'],
  ] as const)('answers a domain error of kind %s with %i, its type and title, and no errors list', (kind, status, type, title) => {
    expect(answer(new KindError(kind, 'problem "x" is not there')).body).toEqual({ type: `${TYPE}${type}`, title, status, detail: 'problem "x" is not there', instance: '/v1/submissions' });
  });

  it("gives Nest's own HTTP exceptions the type of their status: an unknown route is a 404", () => {
    expect(answer(new NotFoundException('Cannot GET /v1/nope'), '/v1/nope').body).toEqual({ type: `${TYPE}not-found`, title: 'Not found', status: 404, detail: 'Cannot GET /v1/nope', instance: '/v1/nope' });
    expect(answer(new UnsupportedMediaTypeException('send JSON')).body).toMatchObject({ type: `${TYPE}unsupported-media-type`, status: 415 });
  });

  it("types the body parser's and Fastify's errors (Nest hands the latter on as HttpExceptions): malformed JSON, a body too large (with the route's bound), other 4xx as about:blank", () => {
    const parse = new MalformedJsonException('malformed JSON body: Unexpected end of JSON input');
    expect(answer(parse).body).toMatchObject({ type: `${TYPE}malformed-json`, title: 'Malformed JSON', status: 400, detail: 'malformed JSON body: Unexpected end of JSON input' });
    const large = new HttpException('Request body is too large', 413);
    expect(answer(large).body).toMatchObject({ type: `${TYPE}too-large`, status: 413, detail: 'the request body is larger than the 1024 bytes this endpoint takes' });
    const aborted = new HttpException('Request body size did not match Content-Length', 400);
    expect(answer(aborted).body).toMatchObject({ type: `${TYPE}invalid-request`, status: 400 });
    const odd = new HttpException('length required', 411);
    expect(answer(odd).body).toEqual({ type: 'about:blank', title: 'Length Required', status: 411, detail: 'length required', instance: '/v1/submissions' });
  });

  it('answers Redis being down 503, and anything unexpected 500 without its internals', () => {
    expect(answer(new Error('Connection is closed.')).body).toMatchObject({ type: `${TYPE}unavailable`, status: 503 });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(answer(new Error('secret internals at /work/main')).body).toEqual({
      type: `${TYPE}internal-error`,
      title: 'Internal error',
      status: 500,
      detail: 'internal error',
      instance: '/v1/submissions',
    });
  });
});
