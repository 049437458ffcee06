import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, DomainErrorKind, FieldError, ProblemDetails } from '@verdict/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { MalformedJsonException } from './request-bodies';

/** Problem type URIs are this plus the type's name; the README's API section lists them. */
export const PROBLEM_TYPE_BASE = 'https://verdict.dev/problems/';

/** Every kind of problem the API answers with, by the name its type URI ends in. */
export const PROBLEM_TYPES = {
  'invalid-request': { status: HttpStatus.BAD_REQUEST, title: 'Invalid request' },
  'malformed-json': { status: HttpStatus.BAD_REQUEST, title: 'Malformed JSON' },
  unauthenticated: { status: HttpStatus.UNAUTHORIZED, title: 'Unauthenticated' },
  forbidden: { status: HttpStatus.FORBIDDEN, title: 'Forbidden' },
  'not-found': { status: HttpStatus.NOT_FOUND, title: 'Not found' },
  conflict: { status: HttpStatus.CONFLICT, title: 'Conflict' },
  unprocessable: { status: HttpStatus.UNPROCESSABLE_ENTITY, title: 'Unprocessable content' },
  'too-large': { status: HttpStatus.PAYLOAD_TOO_LARGE, title: 'Request too large' },
  'unsupported-media-type': { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, title: 'Unsupported media type' },
  'rate-limited': { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many requests' },
  unavailable: { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'Service unavailable' },
  'internal-error': { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'Internal error' },
} as const satisfies Record<string, { status: HttpStatus; title: string }>;
export type ProblemType = keyof typeof PROBLEM_TYPES;

/** Each kind of domain error as a problem type: the one place libraries' failures meet HTTP. */
const TYPE_OF_KIND: Record<DomainErrorKind, ProblemType> = {
  invalid: 'invalid-request',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
  unprocessable: 'unprocessable',
  'too-large': 'too-large',
  unavailable: 'unavailable',
  'rate-limited': 'rate-limited',
};

/** Nest's own HTTP exceptions (an unknown route, a malformed id, a media type refused) by their status. */
const TYPE_OF_STATUS: Partial<Record<number, ProblemType>> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  422: 'unprocessable',
  413: 'too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'unavailable',
};

/** The detail of a 503 when Redis cannot be reached. */
export const REDIS_UNAVAILABLE = 'the queue store (Redis) is unavailable; retry later';

/** What went wrong, before it meets a request: a problem type (or a bare status, `about:blank`), the detail, and for invalid requests each field's problem. */
export interface Problem {
  type: ProblemType | number;
  detail: string;
  errors?: FieldError[];
}

/** The RFC 9457 body of a problem met by the request at `instance` (its path). */
export function problemDetails({ type, detail, errors }: Problem, instance: string): ProblemDetails {
  const body =
    typeof type === 'number'
      ? { type: 'about:blank', title: STATUS_CODES[type] ?? 'Error', status: type }
      : { type: `${PROBLEM_TYPE_BASE}${type}`, ...PROBLEM_TYPES[type] };
  return { ...body, detail, instance, ...(errors && { errors }) };
}

/**
 * One error shape for every failure: RFC 9457 `application/problem+json`. Domain errors get their
 * kind's type, with every problem in `errors` when the request is invalid or a problem names its field; Nest's HTTP exceptions
 * the body parser's (malformed JSON) and Fastify's (a body over the route's bound) theirs;
 * Redis being down is a 503, not a crash; anything unexpected is logged and answered 500 without
 * leaking internals.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.respond(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /** Answers `exception` as problem+json: also for routes outside Nest's (the queue dashboard's gate). */
  respond(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const body = problemDetails(this.describe(exception, request.routeOptions?.bodyLimit), request.url.split('?')[0]);
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) reply.header('Retry-After', String(exception.retryAfterSeconds));
    reply.status(body.status).type('application/problem+json').send(body);
  }

  private describe(exception: unknown, bodyLimit: number | undefined): Problem {
    if (exception instanceof DomainError) {
      const type = TYPE_OF_KIND[exception.kind];
      // Every problem in `errors` when the request is invalid, or when any names the field at fault.
      const listed = type === 'invalid-request' || exception.problems.some((p) => p.field !== null);
      return { type, detail: exception.message, ...(listed && { errors: exception.problems }) };
    }
    if (exception instanceof MalformedJsonException) return { type: 'malformed-json', detail: exception.message };
    if (exception instanceof HttpException) {
      // Fastify's refusal of a body over the route's bound (Nest hands Fastify's errors on as HttpExceptions).
      if (exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE && bodyLimit !== undefined) {
        return { type: 'too-large', detail: `the request body is larger than the ${bodyLimit} bytes this endpoint takes` };
      }
      const body = exception.getResponse() as string | { message?: string | string[] };
      const message = typeof body === 'string' ? body : (body.message ?? exception.message);
      return { type: TYPE_OF_STATUS[exception.getStatus()] ?? exception.getStatus(), detail: Array.isArray(message) ? message.join('; ') : message };
    }
    const e = exception as { message?: string };
    if (/Connection is closed|enableOfflineQueue|ECONNREFUSED|Stream isn't writeable/i.test(e.message ?? '')) {
      return { type: 'unavailable', detail: REDIS_UNAVAILABLE };
    }
    this.logger.error(exception);
    return { type: 'internal-error', detail: 'internal error' };
  }
}
