import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { demoPeopleFromRecord, ensureDemoPki } from '../../documents/pki/demo-pki.js';
import { DirectoryKeyStore } from './keystore.js';
import { sampleHocBaRecord } from '../../documents/hocba/sample-record.js';

const record = sampleHocBaRecord();
let dir: string;
let keysDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-keystore-'));
  keysDir = ensureDemoPki(dir, { people: demoPeopleFromRecord(record), schoolName: record.tentruong, password: 'pw-1234' }).keysDir;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DirectoryKeyStore', () => {
  it("opens a person's key by personal id, once, and the school's seal", async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'pw-1234' });
    const first = await store.signerFor('001075000001');
    expect(first.subject).toBe(record.tengiamhieu);
    expect(await store.signerFor('001075000001')).toBe(first);
    expect((await store.schoolSigner()).subject).toBe(record.tentruong);
    expect(store.files?.password).toBe('pw-1234');
    expect(await store.files?.pathFor('001075000001')).toBe(join(keysDir, '001075000001.p12'));
  });

  it('a person without a key is a ConfigError naming the role, the masked id and the key folder', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'pw-1234' });
    const err = await store.signerFor('001099001234', { field: 'data.bangdiem[TOA].soddcngvbm', record: 'HB-1', role: 'the teacher of subject TOA' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_MISSING', kind: 'config', context: { field: 'data.bangdiem[TOA].soddcngvbm', record: 'HB-1', path: keysDir } });
    const message = (err as ConfigError).message;
    expect(message).toContain('the teacher of subject TOA');
    expect(message).toContain('********1234');
    expect(message).toContain(keysDir);
    expect(message).not.toContain('001099001234');
  });

  it('an id that cannot name a key file stays a DataError (the record is wrong, not the configuration)', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'pw-1234' });
    await expect(store.signerFor('12345')).rejects.toBeInstanceOf(DataError);
  });

  it('only a 12-digit id reaches the file system', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'pw-1234' });
    await expect(store.signerFor('../school')).rejects.toMatchObject({ code: 'SIGNING_KEY_ID_INVALID' });
    await expect(store.signerFor('00107500000')).rejects.toMatchObject({ code: 'SIGNING_KEY_ID_INVALID' });
  });

  it('a wrong password is ConfigError SIGNING_KEY_PASSWORD naming whose key, without the password or the full id', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'wrong-password' });
    const err = await store.schoolSigner().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_PASSWORD', context: { path: keysDir } });
    expect((err as ConfigError).message).toContain("the school's seal");
    expect((err as ConfigError).message).not.toContain('wrong-password');
    const person = await store.signerFor('001075000001', { role: 'the principal' }).catch((e: unknown) => e);
    expect(person).toMatchObject({ code: 'SIGNING_KEY_PASSWORD', kind: 'config' });
    expect((person as ConfigError).message).toContain('the principal (personal id ********0001)');
    expect((person as ConfigError).message).not.toContain('001075000001');
  });

  it('a file that is not PKCS#12 is ConfigError SIGNING_KEY_INVALID', async () => {
    const bad = join(dir, 'bad-keys');
    mkdirSync(bad);
    writeFileSync(join(bad, 'school.p12'), 'not a key');
    const store = new DirectoryKeyStore({ dir: bad, password: 'pw-1234' });
    await expect(store.schoolSigner()).rejects.toMatchObject({ code: 'SIGNING_KEY_INVALID', kind: 'config' });
  });

  it('a missing school seal is ConfigError SIGNING_KEY_MISSING naming the folder', async () => {
    const nowhere = join(dir, 'nowhere');
    const store = new DirectoryKeyStore({ dir: nowhere, password: 'pw-1234' });
    const err = await store.schoolSigner().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_MISSING' });
    expect((err as ConfigError).message).toContain(`${nowhere} (expected school.p12)`);
  });
});
