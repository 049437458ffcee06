import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiKeysConfig, ConfigModule, ConfigModuleOptions, RedisConfig } from '@verdict/config';
import { AdminKeyBootstrapModule, BootstrapAdminKey } from '@verdict/tenants';
import { parseArgs } from 'node:util';

export const BOOTSTRAP_ADMIN_KEY_COMMAND = 'bootstrap-admin-key';

const USAGE = `usage: node dist/apps/api/main.js ${BOOTSTRAP_ADMIN_KEY_COMMAND} [--name <name>]

Makes the deployment's first admin API key in Redis (REDIS_URL, VERDICT_KEY_PREFIX) and prints it,
this once, on stdout. Refused once any admin key exists or a bootstrap happened, even if that key
was revoked since: then use an admin key, or ADMIN_API_KEY, to make more.
`;

@Module({})
class BootstrapAdminKeyCommandModule {
  static forRoot(env: ConfigModuleOptions['env']) {
    return { module: BootstrapAdminKeyCommandModule, imports: [ConfigModule.forRoot({ load: [RedisConfig, ApiKeysConfig], env }), AdminKeyBootstrapModule] };
  }
}

/**
 * `main.js bootstrap-admin-key [--name <name>]`: the key alone on stdout (so a script can capture
 * it), what to do with it on stderr. A refusal (a key was bootstrapped already), a bad argument or
 * Redis out of reach throws, and main.ts prints the message and exits 1.
 */
export async function bootstrapAdminKey(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let values: { name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  // No Nest logger: stdout carries the key and nothing else.
  const app = await NestFactory.createApplicationContext(BootstrapAdminKeyCommandModule.forRoot(env), { logger: false, abortOnError: false });
  try {
    const { key, apiKey } = await app.get(BootstrapAdminKey).execute({ name: values.name });
    process.stdout.write(`${key}\n`);
    process.stderr.write(`admin API key ${apiKey.prefix} made. It is shown this once (only its hash is stored): keep it in a secret store now.\n`);
  } finally {
    await app.close();
  }
}
