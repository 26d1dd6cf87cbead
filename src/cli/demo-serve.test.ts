import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../server/auth/password.js';
import { addUser } from '../services/users.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { DEMO_ADMIN, ensureDemoAdmin } from './demo-serve.js';

const stores: SqliteStateStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe("the demo console's admin account", () => {
  it('is made once, with a random password of 20+ characters kept in secrets/ for its owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-admin-'));
    const store = new SqliteStateStore(join(dir, 'state.db'));
    stores.push(store);
    const first = await ensureDemoAdmin(store, dir);
    expect(first.created).toBe(true);
    expect(first.passwordFile).toBe(join(dir, 'secrets', 'admin-password'));
    expect(first.password?.length).toBeGreaterThanOrEqual(20);
    expect(readFileSync(first.passwordFile, 'utf8').trim()).toBe(first.password);
    expect(statSync(first.passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    const user = await store.getUser(DEMO_ADMIN);
    expect(user).toMatchObject({ role: 'admin', disabled: false });
    expect(await verifyPassword(first.password ?? '', user?.passwordHash ?? '')).toBe(true);
    const [added] = await store.auditEntries({ action: 'user.add' });
    expect(added).toMatchObject({ actor: 'demo', subject: DEMO_ADMIN, outcome: 'ok' });

    // a second demo on the folder keeps the account and its password
    const again = await ensureDemoAdmin(store, dir);
    expect(again).toEqual({ passwordFile: first.passwordFile, password: first.password, created: false });
    expect((await store.getUser(DEMO_ADMIN))?.passwordHash).toBe(user?.passwordHash);

    // an admin made otherwise (lienthong users add) is left alone; the demo cannot tell its password
    const other = mkdtempSync(join(tmpdir(), 'lt-demo-admin-'));
    const otherStore = new SqliteStateStore(join(other, 'state.db'));
    stores.push(otherStore);
    await addUser(otherStore, DEMO_ADMIN, 'admin', 'chosen-by-the-operator');
    expect(await ensureDemoAdmin(otherStore, other)).toEqual({ passwordFile: join(other, 'secrets', 'admin-password'), password: null, created: false });
    expect(existsSync(join(other, 'secrets', 'admin-password'))).toBe(false);
  });
});
