import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are hashed with scrypt (memory-hard: each guess costs 32 MiB and tens of
 * milliseconds). The stored string says everything needed to check it again, so the cost can be
 * raised later without breaking the accounts made before:
 *
 *     scrypt$N=32768,r=8,p=1$<salt, base64url>$<key, base64url>
 */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** what a stored string may ask for at most: a damaged or hostile row must not make a check take minutes */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 4;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return `scrypt$N=${COST.N},r=${COST.r},p=${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash {
  cost: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // N must be a power of two above 1 (scrypt's own rule)
  if (N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  const salt = Buffer.from(m[4] as string, 'base64url');
  const key = Buffer.from(m[5] as string, 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { cost: { N, r, p }, salt, key };
}

/** Whether `password` is the one `stored` was made from; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

let decoy: Promise<string> | null = null;

/**
 * Spends the time of a real check on a hash nobody's password matches: a login with an unknown
 * account name takes as long as one with a wrong password, so timing does not tell which names exist.
 */
export async function spendCheckTime(password: string): Promise<void> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await decoy);
}

/** The account name rules: 2 to 64 of lowercase letters, digits, `.`, `_`, `-`, starting with a letter. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{1,63}$/;

/** A password's length rules: long enough to resist guessing offline, short enough to bound the hashing. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;
