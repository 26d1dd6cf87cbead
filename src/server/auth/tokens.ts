import { createHash } from 'node:crypto';

/** The SHA-256 (hex) a personal API token is stored and looked up by. */
export function apiTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** what a personal API token looks like (`lt_` and 32 random bytes, base64url): anything else is not looked up */
export const API_TOKEN_PATTERN = /^lt_[\w-]{43}$/;
