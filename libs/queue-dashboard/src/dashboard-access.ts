import { ApiKeyAuthenticator, ApiKeyRejectedError, AccessError, Principal, authorize } from '@verdict/tenants';

/** The realm every challenge of the API names. */
const REALM = 'verdict';

/** What an Authorization header offers the dashboard: an API key, as a Bearer token or as HTTP Basic auth's password. */
export interface DashboardCredentials {
  /** How it came: a browser's Basic auth is challenged again with Basic (so it prompts), a client's Bearer token with Bearer. */
  scheme: 'basic' | 'bearer';
  /** The key as `Bearer <key>`, what ApiKeyAuthenticator reads; null when none could be read. */
  bearer: string | null;
  /** Why no key could be read; null when one was. */
  problem: string | null;
}

const HOW = 'the queue dashboard needs an admin API key: send Authorization: Bearer <key>, or HTTP Basic auth with the key as the password (any user name)';

/** Reads the key from `Authorization: Bearer <key>` or `Authorization: Basic base64(<any user>:<key>)`. */
export function readDashboardCredentials(header: string | undefined): DashboardCredentials {
  if (header === undefined || header.trim() === '') return { scheme: 'basic', bearer: null, problem: `no credentials: ${HOW}` };
  if (/^bearer(\s|$)/i.test(header)) return { scheme: 'bearer', bearer: header, problem: null };
  const basic = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!basic) {
    return /^basic(\s|$)/i.test(header)
      ? { scheme: 'basic', bearer: null, problem: `malformed HTTP Basic credentials (not base64 of <user>:<key>): ${HOW}` }
      : { scheme: 'basic', bearer: null, problem: `unsupported authorization scheme "${header.split(/\s/)[0]}": ${HOW}` };
  }
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { scheme: 'basic', bearer: null, problem: `malformed HTTP Basic credentials (no ":" between user and password): ${HOW}` };
  const key = decoded.slice(colon + 1);
  if (key === '') return { scheme: 'basic', bearer: null, problem: `no password in the HTTP Basic credentials: ${HOW}` };
  return { scheme: 'basic', bearer: `Bearer ${key}`, problem: null };
}

/** A request the dashboard refuses: the error (401 or 403, named) and the WWW-Authenticate challenge to send with it, if any. */
export class DashboardRefusal {
  constructor(
    readonly error: AccessError,
    readonly challenge: string | null,
  ) {}
}

// As ApiKeyGuard: a key in a URL ends up in logs, and is refused whatever else the request holds.
const API_KEY_IN_TEXT = /vk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{32}/;

/**
 * Admits an admin to the dashboard, or throws a `DashboardRefusal`: no key, an unreadable, unknown,
 * revoked or expired one, or one in the URL, 401 (challenged with Basic when it came by Basic or not
 * at all, so a browser prompts; with Bearer when it came as a Bearer token); a tenant's key, 403.
 * Other failures (Redis unreachable) are thrown as they are.
 */
export async function admitToDashboard(authenticator: Pick<ApiKeyAuthenticator, 'authenticate'>, authorization: string | undefined, url: string): Promise<Principal> {
  const query = url.includes('?') ? safelyDecoded(url.slice(url.indexOf('?') + 1)) : '';
  const credentials = readDashboardCredentials(authorization);
  const challenge = credentials.scheme === 'basic' ? `Basic realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`;
  if (API_KEY_IN_TEXT.test(query)) {
    throw new DashboardRefusal(new ApiKeyRejectedError('an API key was sent in the URL: send it only in the Authorization header, and revoke this one (URLs are logged)'), challenge);
  }
  if (credentials.bearer === null) throw new DashboardRefusal(new ApiKeyRejectedError(credentials.problem!), challenge);
  let principal: Principal;
  try {
    principal = await authenticator.authenticate(credentials.bearer);
    authorize(principal, undefined);
  } catch (error) {
    if (!(error instanceof AccessError)) throw error;
    if (error.kind === 'unauthenticated') throw new DashboardRefusal(error, challenge);
    throw new DashboardRefusal(error, credentials.scheme === 'bearer' ? `Bearer realm="${REALM}", error="insufficient_scope", scope="admin"` : null);
  }
  return principal;
}

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
