import { Injectable } from '@nestjs/common';
import { IsOptional, IsString, Length } from 'class-validator';
import { ApiKeyIssuer, CreatedApiKey } from './api-key-issuer';
import { validatedCommand } from './validate-command';

export class BootstrapAdminKeyCommand {
  @IsOptional() @IsString() @Length(1, 100)
  name?: string;
}

/**
 * The first admin key of a deployment, for a one-time CLI command: made once, ever. The check
 * (no bootstrap marker, no admin key in Redis, revoked ones included) and the writes (the key and
 * the marker, `RedisKeys.adminKeyBootstrapped`) are one atomic script, so of two concurrent runs
 * one wins. Later runs are refused (`AdminKeyAlreadyBootstrappedError`, conflict) even if every
 * admin key was revoked since: an operator then recovers with ADMIN_API_KEY. There is no default key.
 */
@Injectable()
export class BootstrapAdminKey {
  constructor(private readonly issuer: ApiKeyIssuer) {}

  async execute(input: BootstrapAdminKeyCommand = {}): Promise<CreatedApiKey> {
    const command = validatedCommand(BootstrapAdminKeyCommand, input);
    return this.issuer.issue({ tenantId: null, scopes: ['admin'], name: command.name ?? 'bootstrap admin key', expiresAt: null }, { bootstrap: true });
  }
}
