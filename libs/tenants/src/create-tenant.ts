import { Inject, Injectable } from '@nestjs/common';
import { CreateTenantDto } from '@verdict/contracts';
import { CLOCK, Clock } from './clock';
import { Tenant } from './tenant';
import { TenantAlreadyExistsError } from './tenant-errors';
import { TenantStore } from './tenant-store';
import { validatedCommand } from './validate-command';
import { generateWebhookSecret } from './webhook-secrets';

/** CreateTenant's command: what POST /v1/admin/tenants takes. */
export type CreateTenantCommand = CreateTenantDto;

/** Creates a tenant with its first webhook secret; an id already taken is refused (conflict), nothing changed. */
@Injectable()
export class CreateTenant {
  constructor(
    private readonly tenants: TenantStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(input: CreateTenantCommand): Promise<Tenant> {
    const command = validatedCommand(CreateTenantDto, input);
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
