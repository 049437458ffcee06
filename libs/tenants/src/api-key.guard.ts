import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiScope } from '@verdict/contracts';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { Principal, authorize } from './principal';
import { PROGRESS_TOKEN_IN_TEXT, PROGRESS_TOKEN_PARAMETER, ProgressTokens } from './progress-tokens';
import { AccessError, ApiKeyRejectedError, ProgressTokenRejectedError } from './tenant-errors';

const REQUIRED_SCOPES = 'verdict:required-scopes';
const IS_PUBLIC = 'verdict:public';
const PROGRESS_TOKEN_ROUTE = 'verdict:progress-token-route';

/** What `ApiKeyGuard` adds to a request it lets through (nothing on `@Public()` routes). */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/**
 * The scopes a route (a handler, or every handler of a controller) requires, all of them; an admin
 * key has every scope. A handler's own list replaces its controller's.
 */
export const RequireScopes = (...scopes: ApiScope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** A route anyone may call, without an API key (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * A route that also takes a progress token (`?access_token=vpt_...`, `ProgressTokens`) instead of
 * an API key: only the token of the submission whose id is the route parameter `idParameter`.
 * For live progress only, whose browser clients (EventSource) cannot send an Authorization header.
 */
export const AcceptsProgressToken = (idParameter: string) => SetMetadata(PROGRESS_TOKEN_ROUTE, idParameter);

/** `@CurrentPrincipal()`'s reading of the request (exported for specs). */
export function principalOf(_data: unknown, context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
}

/** The principal `ApiKeyGuard` authenticated for this request (undefined on a `@Public()` route). */
export const CurrentPrincipal = createParamDecorator(principalOf);

/**
 * Every HTTP route needs an API key (`Authorization: Bearer vk_...`) unless marked `@Public()`.
 * An unusable key is a 401 naming what is wrong (with `WWW-Authenticate: Bearer`); a key without
 * a scope of `@RequireScopes(...)` a 403 naming the scopes missing. A route with neither mark is
 * admin-only, so a route whose scopes were forgotten fails closed. The principal is attached to
 * the request (`request.principal`, `@CurrentPrincipal()`). Other transports than HTTP are refused.
 *
 * An API key is taken only from the header: one in the URL is refused. A progress token is taken
 * only in `?access_token=` of an `@AcceptsProgressToken` route, for the submission that route names,
 * and never beside an API key; one anywhere else is refused (401).
 *
 * To wire: `{ provide: APP_GUARD, useClass: ApiKeyGuard }` in the app, with TenantsModule imported.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly progressTokens: ProgressTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (context.getType() !== 'http') return false;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest & { headers: Record<string, string | string[] | undefined>; query?: unknown; params?: Record<string, string> }>();
    const header = request.headers.authorization;
    const tokenRoute = this.reflector.getAllAndOverride<string | undefined>(PROGRESS_TOKEN_ROUTE, targets);
    const token = tokenRoute === undefined ? undefined : queryParameter(request.query, PROGRESS_TOKEN_PARAMETER);

    const required = this.reflector.getAllAndOverride<ApiScope[] | undefined>(REQUIRED_SCOPES, targets);
    try {
      // URLs end up in proxies' and servers' logs: a key found in one is refused, whatever else the request holds.
      if (carries(request.query, API_KEY_IN_TEXT)) throw new ApiKeyRejectedError('an API key was sent in the URL: send it only as Authorization: Bearer vk_..., and revoke this one (URLs are logged)');
      let principal: Principal;
      if (token !== undefined) {
        if (header !== undefined) throw new ProgressTokenRejectedError('send a progress token (?access_token=) or an API key (Authorization: Bearer), not both');
        principal = await this.progressTokens.verify(token, request.params?.[tokenRoute!]);
      } else {
        if (carries(request.query, PROGRESS_TOKEN_IN_TEXT) || queryParameter(request.query, PROGRESS_TOKEN_PARAMETER) !== undefined) {
          throw new ProgressTokenRejectedError(
            'a progress token opens only the live progress of its submission (GET /v1/submissions/:id/events?access_token=...); everything else needs an API key as Authorization: Bearer vk_...',
          );
        }
        principal = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header);
      }
      request.principal = principal;
      authorize(principal, required);
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      if (error.kind === 'forbidden') {
        setHeader(http.getResponse(), 'WWW-Authenticate', `Bearer realm="verdict", error="insufficient_scope", scope="${(required ?? ['admin']).join(' ')}"`);
      } else {
        setHeader(http.getResponse(), 'WWW-Authenticate', `Bearer realm="verdict"${header === undefined && token === undefined ? '' : ', error="invalid_token"'}`);
      }
      throw error;
    }
    return true;
  }
}

/** Whether any query parameter's value holds something `shape` matches. */
function carries(query: unknown, shape: RegExp): boolean {
  if (typeof query !== 'object' || query === null) return false;
  return Object.values(query).some((value) => (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && shape.test(v)));
}

/** A query parameter as sent, if it was; a repeated one as its values joined, which no token matches. */
function queryParameter(query: unknown, name: string): string | undefined {
  if (typeof query !== 'object' || query === null || !(name in query)) return undefined;
  const value = (query as Record<string, unknown>)[name];
  return Array.isArray(value) ? value.join(',') : String(value);
}

const API_KEY_IN_TEXT = /vk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{32}/;

/** On the reply the error filter then sends (Fastify's `reply.header`). */
function setHeader(reply: unknown, name: string, value: string): void {
  (reply as { header(name: string, value: string): unknown }).header(name, value);
}
