import { canonicalJson, contentHash } from '../../../src/core/hash.js';
import type { EncodedRecord, JsonObject, RecordEvent, StagedRecord } from '../../../src/core/records.js';
import { sampleDiplomaData } from '../../ministry-hub/testing/fixtures.js';
import type { VneidCredentialConfigInput } from '../config.js';
import { encodeCredential } from '../credential.js';
import { startVneidSimulator, type VneidSimulator, type VneidSimulatorOptions } from '../simulator/index.js';

/** What the tests of this folder share: the simulator's login, X-Road identities, staged records. */

export const SIM_LOGIN = { username: 'dha-operator', password: 'vneid-test-secret-42' } as const;
export const CLIENT_ID = { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: 'DHA', subsystemCode: 'lienthong' } as const;
export const SERVICE_ID = { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: 'BCA', subsystemCode: 'vneid-credential' } as const;

export function startTestSimulator(options: Partial<VneidSimulatorOptions> = {}): Promise<VneidSimulator> {
  return startVneidSimulator({ ...SIM_LOGIN, service: { ...SERVICE_ID }, ...options });
}

/** a connection to the simulator, as the constructor takes it (the password resolved) */
export function connectionTo(url: string, overrides: Partial<VneidCredentialConfigInput> = {}): VneidCredentialConfigInput {
  return { endpoint: url, ...SIM_LOGIN, userId: 'VN/GOV/DHA/operator-1', client: { ...CLIENT_ID }, service: { ...SERVICE_ID }, ...overrides };
}

/** the diploma n of the hub's fixtures, with an issue date (what VNeID needs), as the engine stages it */
export function diplomaData(n: number): JsonObject {
  return { ...sampleDiplomaData(n, 'DHA'), ngaycap_ngaythangnam: '2024-06-25' };
}

export function stagedRecord(n: number, options: { version?: number; event?: RecordEvent; data?: JsonObject } = {}): StagedRecord {
  const data = options.data ?? diplomaData(n);
  const version = options.version ?? 1;
  return {
    key: `k-${n}`,
    idbanghi: `DHA-VB-${String(n).padStart(6, '0')}`,
    version,
    event: options.event ?? (version === 1 ? 'NEW' : 'UPDATE'),
    changedAt: '2026-06-20T10:15:00',
    contentHash: contentHash(data),
    dataJson: canonicalJson(data),
  };
}

export function encodedRecord(record: StagedRecord): EncodedRecord {
  return { idbanghi: record.idbanghi, version: record.version, contentHash: record.contentHash, encoded: encodeCredential(record) };
}

/** the personal id of the diploma n (sampleDiplomaData's) */
export function personalIdOf(n: number): string {
  return `001099${String(n).padStart(6, '0')}`;
}
