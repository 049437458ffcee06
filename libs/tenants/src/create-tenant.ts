import { Inject, Injectable } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CLOCK, Clock } from './clock';
import { MAX_TENANT_WEIGHT, TENANT_ID_PATTERN, TENANT_ID_RULE, Tenant } from './tenant';
import { TenantAlreadyExistsError } from './tenant-errors';
import { TenantStore } from './tenant-store';
import { validatedCommand } from './validate-command';
import { generateWebhookSecret } from './webhook-secrets';

export class CreateTenantCommand {
  /** The tenant's id for good (a slug): it names the tenant in keys, paths and webhooks. */
  @Matches(TENANT_ID_PATTERN, { message: `id ${TENANT_ID_RULE}` })
  id!: string;

  @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  /** Share of judging capacity under fair scheduling; default 1. */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_TENANT_WEIGHT)
  weight?: number;
}

/** Creates a tenant with its first webhook secret; an id already taken is refused (conflict), nothing changed. */
@Injectable()
export class CreateTenant {
  constructor(
    private readonly tenants: TenantStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(input: CreateTenantCommand): Promise<Tenant> {
    const command = validatedCommand(CreateTenantCommand, input);
    const createdAt = this.clock().toISOString();
    const tenant: Tenant = {
      id: command.id,
      name: command.name,
      createdAt,
      weight: command.weight ?? 1,
      webhookSecrets: [{ secret: generateWebhookSecret(), createdAt, expiresAt: null }],
    };
    if (!(await this.tenants.create(tenant))) throw new TenantAlreadyExistsError(command.id);
    return tenant;
  }
}
