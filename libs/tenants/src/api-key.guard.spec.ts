import { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ApiKeyGuard, AuthenticatedRequest, CurrentPrincipal, Public, RequireScopes, principalOf } from './api-key.guard';
import { Principal } from './principal';
import { ApiKeyRejectedError, MissingScopeError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

const ADMIN_API_KEY = `vk_0pera7or_${'k'.repeat(43)}`;

@RequireScopes('read')
class SubmissionsController {
  list(): void {}

  @RequireScopes('submit')
  create(): void {}

  @RequireScopes('submit', 'problems:write')
  createWithProblem(): void {}

  @Public()
  health(): void {}

  undeclared(): void {}
}

class AdminController {
  deleteTenant(): void {}
}

@Public()
class DocsController {
  openapi(): void {}
}

interface FakeResponse {
  headers: Record<string, string>;
  header(name: string, value: string): void;
}

/** What Nest hands a guard for a Fastify request: the request, the response, the handler and its class. */
function httpContext(controller: new () => object, handler: string, authorization?: string, query: Record<string, string | string[]> = {}) {
  const request: AuthenticatedRequest & { headers: Record<string, string>; query: Record<string, string | string[]> } = { headers: authorization === undefined ? {} : { authorization }, query };
  const response: FakeResponse = { headers: {}, header: (name, value) => (response.headers[name] = value) };
  const method = (controller.prototype as Record<string, () => void>)[handler];
  const context = new ExecutionContextHost([request, response, () => undefined], controller, method);
  context.setType('http');
  return { context: context as ExecutionContext, request, response };
}

describe('ApiKeyGuard', () => {
  const f = new TenantsFixture({ ADMIN_API_KEY });
  const guard = new ApiKeyGuard(new Reflector(), f.authenticator);
  let reader: string;
  let submitter: string;
  let readerPrefix: string;
  beforeAll(async () => {
    await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    ({ key: reader, apiKey: { prefix: readerPrefix } } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] }));
    ({ key: submitter } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit', 'read'] }));
  });
  afterAll(() => f.close());

  it('lets a key with the scope through and attaches its principal to the request', async () => {
    const { context, request } = httpContext(SubmissionsController, 'list', `Bearer ${reader}`);
    expect(await guard.canActivate(context)).toBe(true);
    expect(request.principal).toEqual({ tenantId: 'acme', keyId: readerPrefix, scopes: ['read'], isAdmin: false });
    expect(principalOf(undefined, context)).toBe(request.principal);
  });

  it('gives a handler the principal through @CurrentPrincipal()', async () => {
    class Handlers {
      mine(@CurrentPrincipal() _principal: Principal): void {}
    }
    const [argument] = Object.values(Reflect.getMetadata(ROUTE_ARGS_METADATA, Handlers, 'mine') as Record<string, { factory: typeof principalOf }>);
    const { context, request } = httpContext(SubmissionsController, 'list', `Bearer ${reader}`);
    await guard.canActivate(context);
    expect(argument.factory(undefined, context)).toEqual(request.principal);
  });

  it("lets a handler's scopes replace its controller's", async () => {
    expect(await guard.canActivate(httpContext(SubmissionsController, 'create', `Bearer ${submitter}`).context)).toBe(true);
    const { context, response } = httpContext(SubmissionsController, 'create', `Bearer ${reader}`);
    const error = await rejectionOf(guard.canActivate(context));
    expect(error).toBeInstanceOf(MissingScopeError);
    expect(error.message).toBe(`API key ${readerPrefix} lacks the scope "submit" this operation needs`);
    expect(response.headers['WWW-Authenticate']).toBe('Bearer realm="verdict", error="insufficient_scope", scope="submit"');
  });

  it('names every scope missing', async () => {
    const error = await rejectionOf(guard.canActivate(httpContext(SubmissionsController, 'createWithProblem', `Bearer ${reader}`).context));
    expect(error).toBeInstanceOf(MissingScopeError);
    expect(error.message).toBe(`API key ${readerPrefix} lacks the scopes "submit", "problems:write" this operation needs`);
  });

  it('refuses a request without a usable key with a 401 naming what is wrong', async () => {
    const cases: [string | undefined, string, string][] = [
      [undefined, 'missing API key: send it as Authorization: Bearer vk_...', 'Bearer realm="verdict"'],
      ['Basic abc', 'the Authorization header must be "Bearer <API key>"', 'Bearer realm="verdict", error="invalid_token"'],
      [`Bearer vk_${readerPrefix}_${'x'.repeat(43)}`, 'invalid API key', 'Bearer realm="verdict", error="invalid_token"'],
    ];
    for (const [authorization, message, challenge] of cases) {
      const { context, request, response } = httpContext(SubmissionsController, 'list', authorization);
      const error = await rejectionOf(guard.canActivate(context));
      expect(error).toBeInstanceOf(ApiKeyRejectedError);
      expect((error as ApiKeyRejectedError).kind).toBe('unauthenticated');
      expect(error.message).toBe(message);
      expect(response.headers['WWW-Authenticate']).toBe(challenge);
      expect(request.principal).toBeUndefined();
    }
  });

  it('refuses an API key in the URL, even beside a good Authorization header, without echoing it', async () => {
    for (const query of [{ api_key: reader }, { token: ['x', `prefix-${submitter}`] }] as Record<string, string | string[]>[]) {
      const { context, request } = httpContext(SubmissionsController, 'list', `Bearer ${reader}`, query);
      const error = await rejectionOf(guard.canActivate(context));
      expect(error).toBeInstanceOf(ApiKeyRejectedError);
      expect(error.message).toMatch(/^an API key was sent in the URL: send it only as Authorization: Bearer vk_\.\.\., and revoke this one/);
      expect(error.message).not.toContain(reader.slice(12));
      expect(request.principal).toBeUndefined();
    }
    expect(await guard.canActivate(httpContext(SubmissionsController, 'list', `Bearer ${reader}`, { cursor: 'vk_short' }).context)).toBe(true);
  });

  it('lets an admin through every route, whatever it declares', async () => {
    for (const [controller, handler] of [[SubmissionsController, 'createWithProblem'], [SubmissionsController, 'undeclared'], [AdminController, 'deleteTenant']] as const) {
      const { context, request } = httpContext(controller, handler, `Bearer ${ADMIN_API_KEY}`);
      expect(await guard.canActivate(context)).toBe(true);
      expect(request.principal).toEqual({ tenantId: null, keyId: '0pera7or', scopes: ['admin'], isAdmin: true });
    }
  });

  it('keeps a route that declares no scopes to admins (it fails closed)', async () => {
    const error = await rejectionOf(guard.canActivate(httpContext(AdminController, 'deleteTenant', `Bearer ${submitter}`).context));
    expect(error).toBeInstanceOf(MissingScopeError);
    expect(error.message).toMatch(/this operation needs an admin API key$/);
  });

  it('lets anyone through a public route or controller, attaching no principal', async () => {
    for (const [controller, handler] of [[SubmissionsController, 'health'], [DocsController, 'openapi']] as const) {
      const { context, request } = httpContext(controller, handler);
      expect(await guard.canActivate(context)).toBe(true);
      expect(request.principal).toBeUndefined();
      expect(principalOf(undefined, context)).toBeUndefined();
    }
  });

  it('refuses other transports than HTTP', async () => {
    const { context } = httpContext(SubmissionsController, 'list', `Bearer ${reader}`);
    (context as ExecutionContextHost).setType('rpc');
    expect(await guard.canActivate(context)).toBe(false);
  });

  it('lets failures other than a refused key through as they are (Redis down)', async () => {
    const get = jest.spyOn(f.apiKeyStore, 'get').mockRejectedValueOnce(new Error('Connection is closed.'));
    try {
      const error = await rejectionOf(guard.canActivate(httpContext(SubmissionsController, 'list', `Bearer vk_Unknown3_${'x'.repeat(43)}`).context));
      expect(error.message).toBe('Connection is closed.');
      expect(error).not.toBeInstanceOf(ApiKeyRejectedError);
    } finally {
      get.mockRestore();
    }
  });
});
