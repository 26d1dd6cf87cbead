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

/**
 * The holder's name as the verify page shows it: every word's first letter, the given name (the
 * last word) in full, e.g. `Nguyễn Thị Minh Anh` → `N. T. M. Anh`. Enough to match the paper in
 * front of the reader, not enough to find the person.
 */
export function maskHolderName(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length <= 1) return words.map((w) => `${Array.from(w)[0] ?? ''}.`).join('');
  const last = words[words.length - 1] ?? '';
  return [...words.slice(0, -1).map((w) => `${Array.from(w)[0] ?? ''}.`), last].join(' ');
}
