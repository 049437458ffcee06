import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@verdict/contracts';
import { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** Each kind of domain error as HTTP: the one place libraries' failures meet status codes. */
const STATUS_OF_KIND: Record<DomainErrorKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  'rate-limited': HttpStatus.TOO_MANY_REQUESTS,
};

/**
 * One error shape for every failure: `{ statusCode, error, message: string[] }`, a message per
 * problem. Domain errors get their kind's status; Redis being down is a 503, not a crash; anything unexpected is
 * logged and answered 500 without leaking internals.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, messages] = this.describe(exception);
    response.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: messages });
  }

  private describe(exception: unknown): [number, string[]] {
    if (exception instanceof DomainError) return [STATUS_OF_KIND[exception.kind], exception.problems];
    if (exception instanceof HttpException) {
      const body = exception.getResponse() as string | { message?: string | string[] };
      const message = typeof body === 'string' ? body : (body.message ?? exception.message);
      return [exception.getStatus(), Array.isArray(message) ? message : [message]];
    }
    const e = exception as { type?: string; status?: number; message?: string };
    // Errors of the body parser (malformed JSON, body too large) carry their HTTP status.
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return [e.status, [e.type === 'entity.parse.failed' ? `malformed JSON body: ${e.message}` : (e.message ?? 'bad request')]];
    }
    if (/Connection is closed|enableOfflineQueue|ECONNREFUSED|Stream isn't writeable/i.test(e.message ?? '')) {
      return [HttpStatus.SERVICE_UNAVAILABLE, ['the queue store (Redis) is unavailable; retry later']];
    }
    this.logger.error(exception);
    return [HttpStatus.INTERNAL_SERVER_ERROR, ['internal error']];
  }
}
