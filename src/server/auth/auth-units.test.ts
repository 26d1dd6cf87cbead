import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './limiter.js';
import { hashPassword, verifyPassword } from './password.js';
import { randomToken, sameSecret, SessionStore } from './sessions.js';

describe('password hashing (scrypt)', () => {
  it('makes a self-describing hash with its parameters and a fresh salt, and checks it', async () => {
    const a = await hashPassword('mật khẩu dài đủ 1');
    const b = await hashPassword('mật khẩu dài đủ 1');
    expect(a).toMatch(/^scrypt\$N=32768,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('mật khẩu dài đủ 1', a)).toBe(true);
    expect(await verifyPassword('mật khẩu dài đủ 2', a)).toBe(false);
    // the same text in another Unicode form is the same password
    expect(await verifyPassword('mật khẩu dài đủ 1'.normalize('NFD'), a)).toBe(true);
  });

  it('checks a hash made with other parameters by the ones written in it', async () => {
    const a = await hashPassword('correct horse');
    const weaker = a.replace('N=32768', 'N=16384');
    // the key was made with N=32768, so under N=16384 it no longer matches
    expect(await verifyPassword('correct horse', weaker)).toBe(false);
  });

  it('refuses a damaged or hostile stored string without hashing with it', async () => {
    for (const bad of ['', 'plain', 'scrypt$N=3,r=8,p=1$aaaaaaaaaaaa$bbbbbbbbbbbbbbbbbbbbbbbb', 'scrypt$N=1073741824,r=8,p=1$aaaaaaaaaaaa$bbbbbbbbbbbbbbbbbbbbbbbb', 'bcrypt$x']) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});

describe('sessions', () => {
  it('makes 256-bit random ids and CSRF tokens, a new one at each login', () => {
    const s = new SessionStore(60_000, () => 0);
    const a = s.create('lan', 'hash-lan');
    const b = s.create('lan', 'hash-lan');
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(a.id);
    expect(s.touch(a.id)?.username).toBe('lan');
    expect(s.touch('nope')).toBeNull();
  });

  it('ends a session idle longer than the timeout, and a used one lives on', () => {
    let now = 0;
    const s = new SessionStore(60_000, () => now);
    const a = s.create('lan', 'hash-lan');
    const b = s.create('minh', 'hash-minh');
    now = 50_000;
    expect(s.touch(a.id)).not.toBeNull();
    now = 100_000; // a was used 50 s ago, b 100 s ago
    expect(s.touch(a.id)).not.toBeNull();
    expect(s.touch(b.id)).toBeNull();
    expect(s.touch(b.id)).toBeNull();
  });

  it('destroys one session, or every session of an account', () => {
    const s = new SessionStore(60_000, () => 0);
    const [a, b, c] = [s.create('lan', 'hash-lan'), s.create('lan', 'hash-lan'), s.create('minh', 'hash-minh')];
    s.destroy(a.id);
    expect(s.touch(a.id)).toBeNull();
    s.destroyUser('lan');
    expect(s.touch(b.id)).toBeNull();
    expect(s.touch(c.id)).not.toBeNull();
  });

  it('compares secrets of any length', () => {
    const t = randomToken();
    expect(sameSecret(t, t)).toBe(true);
    expect(sameSecret(t, t.slice(1))).toBe(false);
    expect(sameSecret(t, randomToken())).toBe(false);
  });
});

describe('login limiter', () => {
  const options = { perUsername: 5, perAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

  it('locks a name after 5 failures for 15 minutes, whatever address they come from', () => {
    let now = 1_000_000;
    const l = new LoginLimiter(options, () => now);
    for (let i = 0; i < 4; i++) l.recordFailure('lan', `10.0.0.${i}`);
    expect(l.retryAfterSeconds('lan', '10.0.0.9')).toBe(0);
    l.recordFailure('lan', '10.0.0.5');
    expect(l.retryAfterSeconds('lan', '10.0.0.9')).toBe(900);
    expect(l.retryAfterSeconds('minh', '10.0.0.9')).toBe(0);
    now += 600_000;
    expect(l.retryAfterSeconds('lan', '10.0.0.9')).toBe(300);
    now += 300_000;
    expect(l.retryAfterSeconds('lan', '10.0.0.9')).toBe(0);
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const l = new LoginLimiter(options, () => now);
    for (let i = 0; i < 4; i++) l.recordFailure('lan', 'a');
    now += 16 * 60_000;
    l.recordFailure('lan', 'a');
    expect(l.retryAfterSeconds('lan', 'a')).toBe(0);
  });

  it('locks an address after 20 failures over any names; a success clears the name only', () => {
    const now = 0;
    const l = new LoginLimiter(options, () => now);
    for (let i = 0; i < 3; i++) l.recordFailure('lan', '10.1.1.1');
    l.recordSuccess('lan');
    for (let i = 0; i < 4; i++) l.recordFailure('lan', '10.1.1.1');
    expect(l.retryAfterSeconds('lan', '10.9.9.9')).toBe(0);
    for (let i = 0; i < 13; i++) l.recordFailure(`user${i}`, '10.1.1.1');
    expect(l.retryAfterSeconds('someone', '10.1.1.1')).toBe(900);
    expect(l.retryAfterSeconds('someone', '10.1.1.2')).toBe(0);
  });
});
