import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerParams } from './log-options';

function logLine(object: object): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) });
  const options = loggerParams('info').pinoHttp as pino.LoggerOptions;
  pino(options, sink).info(object, 'a line');
  return JSON.parse(lines[0]);
}

describe('loggerParams', () => {
  it('censors API keys, secrets, tokens and credentials wherever a log call puts them', () => {
    const line = logLine({
      submissionId: 's-1',
      apiKey: 'vk_abc_secret',
      tenant: { webhookSecret: 'whsec_x', name: 'acme' },
      req: { headers: { authorization: 'Bearer vk_abc_secret', 'content-type': 'application/json' }, query: { access_token: 't0ken' } },
      delivery: { headers: { 'webhook-signature': 'v1,abc' } },
      token: 'progress-token',
    });
    expect(line).toMatchObject({
      submissionId: 's-1',
      apiKey: '[REDACTED]',
      tenant: { webhookSecret: '[REDACTED]', name: 'acme' },
      req: { headers: { authorization: '[REDACTED]', 'content-type': 'application/json' }, query: { access_token: '[REDACTED]' } },
      delivery: { headers: { 'webhook-signature': '[REDACTED]' } },
      token: '[REDACTED]',
    });
    expect(JSON.stringify(line)).not.toMatch(/vk_abc_secret|whsec_x|t0ken|v1,abc|progress-token/);
  });

  it('logs at the configured level', () => {
    expect(loggerParams('warn').pinoHttp).toMatchObject({ level: 'warn' });
  });
});
