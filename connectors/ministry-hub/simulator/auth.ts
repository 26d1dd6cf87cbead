import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HubClientConfig } from './options.js';
import type { HubStore } from './store.js';

export type TokenAnswer =
  | { ok: true; body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope?: string } }
  | { ok: false; status: number; body: { error: string; error_description: string } };

/** OAuth2 client credentials (RFC 6749 §4.4): form fields, or HTTP Basic for the client. */
export function issueToken(
  clients: ReadonlyMap<string, HubClientConfig>,
  store: HubStore,
  req: IncomingMessage,
  formBody: string,
  now: number,
  ttlSeconds: number,
): TokenAnswer {
  const form = new URLSearchParams(formBody);
  const basic = parseBasicAuth(req.headers.authorization);
  const clientId = basic?.id ?? form.get('client_id') ?? '';
  const clientSecret = basic?.secret ?? form.get('client_secret') ?? '';
  if (form.get('grant_type') !== 'client_credentials') {
    return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  const client = clients.get(clientId);
  if (client === undefined || !sameSecret(client.clientSecret, clientSecret)) {
    return fail(401, 'invalid_client', 'unknown client or wrong secret');
  }
  const scope = form.get('scope') ?? '';
  const asked = scope.split(' ').filter((s) => s !== '');
  if (client.scopes !== undefined && asked.some((s) => !client.scopes?.includes(s))) {
    return fail(400, 'invalid_scope', 'the client may not ask for this scope');
  }
  const token = randomBytes(24).toString('base64url');
  store.putToken(token, client.clientId, scope, now + ttlSeconds * 1000);
  return {
    ok: true,
    body: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, ...(scope === '' ? {} : { scope }) },
  };
}

/** The client of the request's bearer token, or undefined when it has none that is live. */
export function authenticate(store: HubStore, req: IncomingMessage, now: number): string | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (m === null || m[1] === undefined) return undefined;
  return store.tokenClient(m[1], now);
}

function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (m === null || m[1] === undefined) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
}

function sameSecret(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function fail(status: number, error: string, description: string): TokenAnswer {
  return { ok: false, status, body: { error, error_description: description } };
}
