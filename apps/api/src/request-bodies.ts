import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { nestedDeeperThan } from './json-depth';

/** A request body that is not JSON although it says so. */
export class MalformedJsonException extends BadRequestException {}

/** What request bodies the API takes: JSON everywhere, and under `uploads.prefix` also streamed media types with a larger bound. */
export interface RequestBodyRules {
  jsonLimitBytes: number;
  maxJsonDepth: number;
  uploads: { prefix: string; limitBytes: number; streamedMediaTypes: string[]; refusal: string };
}

const isUnder = (url: string, prefix: string): boolean => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);

/**
 * Registers the API's body parsers on its Fastify instance (before its routes): JSON within
 * `jsonLimitBytes` and `maxJsonDepth`; under the uploads prefix (problem packages, whose tests may be
 * 50 MB and more) a bound of its own, and zip bodies handed to the controller as the unread stream;
 * any other media type is a 415 naming what to send.
 */
export function registerRequestBodies(fastify: FastifyInstance, rules: RequestBodyRules): void {
  // Every route's bound, set as routes are registered (after this, at start-up).
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit = isUnder(route.url, rules.uploads.prefix) ? rules.uploads.limitBytes : rules.jsonLimitBytes;
  });
  // Fastify's own JSON parser (it refuses __proto__ and constructor.prototype keys), with its failures named.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // Fastify also takes text/plain bodies by default: this API takes none.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    // An empty body is an empty object, as a client that sends no fields means: validation names what is missing.
    if (text === '') return done(null, {});
    parseJson(request, text as string, (error: Error | null, value?: unknown) => {
      if (error) return done(new MalformedJsonException(`malformed JSON body: ${error.message}`), undefined);
      // Before validation walks the body recursively.
      if (nestedDeeperThan(value, rules.maxJsonDepth)) {
        return done(new BadRequestException([`request body is nested deeper than ${rules.maxJsonDepth} levels (API_MAX_JSON_DEPTH)`]), undefined);
      }
      done(null, value);
    });
  });
  fastify.addContentTypeParser(rules.uploads.streamedMediaTypes, (request, payload, done) => {
    if (!isUnder(request.url, rules.uploads.prefix)) return done(unsupported(request.headers['content-type']), undefined);
    done(null, payload);
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    done(isUnder(request.url, rules.uploads.prefix) ? new UnsupportedMediaTypeException(rules.uploads.refusal) : unsupported(request.headers['content-type']), undefined);
  });
}

function unsupported(contentType: string | undefined): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException(`send the request body as application/json (got ${contentType ?? 'no Content-Type'})`);
}
