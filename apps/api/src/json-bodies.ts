import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Express middleware: a request that carries a body must send it as application/json (else it would
 * reach validation as no body at all), except under the given paths, whose controllers take other
 * media types too and refuse the rest themselves (problem packages: JSON or zip).
 */
export function requireJsonBodies({ except }: { except: string[] }): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const length = request.headers['content-length'];
    const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    const exempt = except.some((path) => request.path === path || request.path.startsWith(`${path}/`));
    if (!hasBody || exempt || request.is('application/json')) return next();
    next(new UnsupportedMediaTypeException(`send the request body as application/json (got ${request.headers['content-type'] ?? 'no Content-Type'})`));
  };
}

/** A request body that is not JSON although it says so. */
export class MalformedJsonException extends BadRequestException {}

/**
 * Express error middleware for right after the JSON body parsers: their parse error becomes a
 * MalformedJsonException. Left as it is, Nest would turn it into a bare BadRequestException, which
 * the error filter could not tell from other 400s.
 */
export const markMalformedJson: ErrorRequestHandler = (error: { type?: string; message?: string }, _request, _response, next) => {
  next(error?.type === 'entity.parse.failed' ? new MalformedJsonException(`malformed JSON body: ${error.message}`) : error);
};
