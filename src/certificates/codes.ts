import { createHash, randomBytes } from 'node:crypto';

/**
 * Verification codes, kiosk tokens and the masked holder name. A code is 20 characters of
 * Crockford's base32 (no I, L, O, U: nothing to misread on paper) from 100 random bits, printed in
 * groups of four: `7KQ2-M9XD-…`. The store and the URLs use it as printed.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 20;

export const VERIFICATION_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

/** A fresh verification code: 100 bits from the system's CSPRNG. */
export function newVerificationCode(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(13); // 104 bits, the first 100 used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  bits >>= 4n;
  let out = '';
  for (let i = CODE_CHARS - 1; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return (out.match(/.{4}/g) ?? []).join('-');
}

/**
 * A code as a person may type it: lower case, without dashes, with O for 0 or I/L for 1. Anything
 * that cannot be a code gives null (and is not looked up).
 */
export function normalizeVerificationCode(input: string): string | null {
  const plain = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(plain)) return null;
  return (plain.match(/.{4}/g) ?? []).join('-');
}

/** what a kiosk token looks like: `ltk_` and 32 random bytes, base64url */
export const KIOSK_TOKEN_PATTERN = /^ltk_[\w-]{43}$/;

export function newKioskToken(): string {
  return `ltk_${randomBytes(32).toString('base64url')}`;
}

/** the SHA-256 (hex) a kiosk token is stored and looked up by */
export function kioskTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** the holder's name as the verify pages show it (kept with the names' rules, src/domain/names.ts) */
export { maskHolderName } from '../domain/names.js';
