import { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AcceptsProgressToken, ApiKeyGuard, AuthenticatedRequest, CurrentPrincipal, Public, RequireScopes, principalOf } from './api-key.guard';
import { Principal } from './principal';
import { ApiKeyRejectedError, MissingScopeError, ProgressTokenRejectedError } from './tenant-errors';
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

  @AcceptsProgressToken('id')
  events(): void {}
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
function httpContext(controller: new () => object, handler: string, authorization?: string, query: Record<string, string | string[]> = {}, params: Record<string, string> = {}) {
  const request: AuthenticatedRequest & { headers: Record<string, string>; query: Record<string, string | string[]>; params: Record<string, string> } = {
    headers: authorization === undefined ? {} : { authorization },
    query,
    params,
  };
  const response: FakeResponse = { headers: {}, header: (name, value) => (response.headers[name] = value) };
  const method = (controller.prototype as Record<string, () => void>)[handler];
  const context = new ExecutionContextHost([request, response, () => undefined], controller, method);
  context.setType('http');
  return { context: context as ExecutionContext, request, response };
}

describe('ApiKeyGuard', () => {
  const f = new TenantsFixture({ ADMIN_API_KEY });
  const guard = new ApiKeyGuard(new Reflector(), f.authenticator, f.progressTokens);
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
    expect(request.principal).toEqual({ tenantId: 'acme', keyId: readerPrefix, scopes: ['read'], isAdmin: false, lanes: ['live', 'contest', 'practice'] });
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

  describe('progress tokens', () => {
    const SUBMISSION = '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11';
    const OTHER = '1c9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a12';
    let token: string;
    beforeAll(async () => {
      ({ token } = await f.progressTokens.issue(SUBMISSION, { tenantId: 'acme', keyId: readerPrefix, scopes: ['read'], isAdmin: false }));
    });

    it("open a route that takes them, for the submission in the URL, as the minting key's tenant with read only", async () => {
      const { context, request } = httpContext(SubmissionsController, 'events', undefined, { access_token: token }, { id: SUBMISSION });
      expect(await guard.canActivate(context)).toBe(true);
      expect(request.principal).toEqual({ tenantId: 'acme', keyId: readerPrefix, scopes: ['read'], isAdmin: false });
    });

    it('are refused (401, invalid_token) for another submission, on any other route, or beside an API key, without echoing the token', async () => {
      const cases: [ReturnType<typeof httpContext>, RegExp][] = [
        [httpContext(SubmissionsController, 'events', undefined, { access_token: token }, { id: OTHER }), /^this progress token is for another submission$/],
        [httpContext(SubmissionsController, 'list', undefined, { access_token: token }, { id: SUBMISSION }), /^a progress token opens only the live progress of its submission/],
        [httpContext(SubmissionsController, 'list', `Bearer ${reader}`, { cursor: token }), /^a progress token opens only the live progress of its submission/],
        [httpContext(SubmissionsController, 'list', `Bearer ${reader}`, { access_token: 'anything' }), /^a progress token opens only the live progress of its submission/],
        [httpContext(SubmissionsController, 'events', `Bearer ${reader}`, { access_token: token }, { id: SUBMISSION }), /^send a progress token \(\?access_token=\) or an API key \(Authorization: Bearer\), not both$/],
        [httpContext(SubmissionsController, 'events', undefined, { access_token: [token, token] }, { id: SUBMISSION }), /^malformed progress token/],
      ];
      for (const [{ context, request, response }, message] of cases) {
        const error = await rejectionOf(guard.canActivate(context));
        expect(error).toBeInstanceOf(ProgressTokenRejectedError);
        expect((error as ProgressTokenRejectedError).kind).toBe('unauthenticated');
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain(token.slice(4, 40));
        expect(response.headers['WWW-Authenticate']).toMatch(/^Bearer realm="verdict"/);
        expect(request.principal).toBeUndefined();
      }
    });

    it('leave a route that takes them to API keys when none is sent, and an API key in the URL is still refused there', async () => {
      expect(await guard.canActivate(httpContext(SubmissionsController, 'events', `Bearer ${reader}`, {}, { id: SUBMISSION }).context)).toBe(true);
      const error = await rejectionOf(guard.canActivate(httpContext(SubmissionsController, 'events', undefined, { access_token: reader }, { id: SUBMISSION }).context));
      expect(error).toBeInstanceOf(ApiKeyRejectedError);
      expect(error.message).toMatch(/^an API key was sent in the URL/);
    });
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
