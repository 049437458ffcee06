import type { Params } from 'nestjs-pino';

/**
 * Where a secret could appear in a log line's object, censored wherever it is logged: API keys,
 * webhook secrets and signatures, bearer and progress tokens, and any request headers or query a
 * line carries. (`*` is one level deep: these are the shapes log calls here pass.)
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.access_token',
  'headers.authorization',
  'headers["webhook-signature"]',
  '*.headers.authorization',
  '*.headers["webhook-signature"]',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'webhookSecret',
  '*.webhookSecret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
];

/**
 * Every app's pino settings: JSON lines at LOG_LEVEL with secrets censored. With telemetry on, the
 * pino instrumentation adds trace_id and span_id to every line logged inside a span. No request
 * logger (`forRoutes: []`): binding one to every request (pino-http's child logger, kept in an
 * AsyncLocalStorage that hooks every promise) cost about a quarter of the API's CPU per accepted
 * submission; lines name their submission, batch and trace instead.
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: { level, redact: { paths: REDACTED_LOG_PATHS, censor: '[REDACTED]' } },
    forRoutes: [],
  };
}
