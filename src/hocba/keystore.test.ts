import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../core/errors.js';
import { demoPeopleFromRecord, ensureDemoPki } from '../pki/demo-pki.js';
import { DirectoryKeyStore } from './keystore.js';
import { sampleHocBaRecord } from './sample-record.js';

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

  it('a person without a key is a DataError naming the field, with the id masked', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'pw-1234' });
    const err = await store.signerFor('001099001234', { field: 'data.bangdiem[TOA].soddcngvbm', record: 'HB-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_MISSING', context: { field: 'data.bangdiem[TOA].soddcngvbm', record: 'HB-1' } });
    expect((err as DataError).message).toContain('********1234');
    expect((err as DataError).message).not.toContain('001099001234');
  });

  it('only a 12-digit id reaches the file system', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'pw-1234' });
    await expect(store.signerFor('../school')).rejects.toMatchObject({ code: 'SIGNING_KEY_ID_INVALID' });
    await expect(store.signerFor('00107500000')).rejects.toMatchObject({ code: 'SIGNING_KEY_ID_INVALID' });
  });

  it('a wrong password is a ConfigError that does not echo it', async () => {
    const store = new DirectoryKeyStore({ dir: keysDir, password: 'wrong-password' });
    const err = await store.schoolSigner().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).not.toContain('wrong-password');
  });

  it('a missing school seal is SIGNING_KEY_MISSING', async () => {
    const store = new DirectoryKeyStore({ dir: join(dir, 'nowhere'), password: 'pw-1234' });
    await expect(store.schoolSigner()).rejects.toMatchObject({ code: 'SIGNING_KEY_MISSING' });
  });
});
