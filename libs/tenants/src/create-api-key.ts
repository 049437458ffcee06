import { Inject, Injectable } from '@nestjs/common';
import { CreateApiKeyDto, FieldError, SUBMISSION_LANES, TENANT_ID_PATTERN, TENANT_ID_RULE } from '@verdict/contracts';
import { Matches, ValidateIf } from 'class-validator';
import { ApiKeyIssuer, CreatedApiKey } from './api-key-issuer';
import { CLOCK, Clock } from './clock';
import { InvalidTenantsCommandError } from './tenant-errors';
import { validatedCommand } from './validate-command';

/** CreateApiKey's command: the body of POST /v1/admin/tenants/:id/keys, and the tenant it is for. */
export class CreateApiKeyCommand extends CreateApiKeyDto {
  /** The tenant the key acts for; null for an admin key (scopes exactly `['admin']`). */
  @ValidateIf((command: CreateApiKeyCommand) => command.tenantId !== null)
  @Matches(TENANT_ID_PATTERN, { message: `tenantId ${TENANT_ID_RULE} (or null for an admin key)` })
  tenantId!: string | null;
}

/**
 * Makes an API key and returns it whole, this once: `vk_<prefix>_<secret>`, of which only the
 * SHA-256 is stored and the prefix is the id. A tenant's key holds any of submit, read and
 * problems:write; `admin` is every scope across tenants, so only a key with no tenant holds it.
 * A tenant's key may be limited to some lanes (`lanes`, default every one); an admin key uses every lane.
 */
@Injectable()
export class CreateApiKey {
  constructor(
    private readonly issuer: ApiKeyIssuer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(input: CreateApiKeyCommand): Promise<CreatedApiKey> {
    const command = validatedCommand(CreateApiKeyCommand, input);
    const problems: FieldError[] = [];
    if (command.tenantId === null && (command.scopes.length !== 1 || command.scopes[0] !== 'admin')) {
      problems.push({ field: 'scopes', message: 'scopes of an admin key (tenantId null) must be exactly ["admin"]' });
    }
    if (command.tenantId !== null && command.scopes.includes('admin')) {
      problems.push({ field: 'scopes', message: 'scopes of a tenant\'s key must not include admin: admin keys have no tenant' });
    }
    if (command.tenantId === null && command.lanes != null) {
      problems.push({ field: 'lanes', message: 'lanes cannot be set on an admin key (tenantId null): it may use every lane' });
    }
    const expiresAt = command.expiresAt ? new Date(command.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= this.clock().getTime()) problems.push({ field: 'expiresAt', message: 'expiresAt must be in the future' });
    if (problems.length > 0) throw new InvalidTenantsCommandError(problems);
    // Kept in the lanes' own order (live, contest, practice), whatever order they were named in.
    const lanes = command.lanes == null ? undefined : SUBMISSION_LANES.filter((lane) => command.lanes!.includes(lane));
    return this.issuer.issue({ tenantId: command.tenantId, scopes: command.scopes, name: command.name ?? null, expiresAt: expiresAt?.toISOString() ?? null, lanes });
  }
}
