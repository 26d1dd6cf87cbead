import { createHash } from 'node:crypto';
import { BugError } from '../../src/core/errors.js';
import type { FieldError, StagedRecord } from '../../src/core/records.js';

/**
 * What the credential service is sent for one staged record: the outbox text of a vneid-credential
 * target. A record becomes a `PublishCredential` (NEW, UPDATE) or a `RevokeCredential` (CANCEL),
 * with its message id (`xrd:id`) made from the record's key, version and content hash: a retry of
 * the same operation on the same record (after a crash too) carries the same id, so the service
 * answers its first answer again; any change of content or version makes a new id.
 *
 * The record's data may be either
 * - a credential summary: `personalId`, `credentialType`, `title`, `issuerName`, `issueDate`, and
 *   optionally `credentialKey` (default the record's idbanghi), `documentHash` (default the record's
 *   content hash), `verifyUrl`, `revokeReason`; or
 * - a national record the ministry hub holds: a diploma (`vanbangchungchi`: `sodinhdanh`,
 *   `tenvanbangcc`, `donvicap`/`tentruong`, `ngaycap_ngaythangnam`) or a school record
 *   (`hocbaso-thcsthpt`: `sodinhdanh`, `namhoc`, `tenlop`, `tentruong`, `ngaykyphathanh`). Its
 *   `documentHash` is then the record's content hash: the SHA-256 of the very data the hub holds.
 * A record that is neither, or lacks a field VNeID needs, is encoded with its problems: `write`
 * answers it `rejected` with those field errors, never sending it.
 */

export type CredentialType = 'DIPLOMA' | 'SCHOOL_RECORD' | 'CERTIFICATE';
export const CREDENTIAL_TYPES: readonly CredentialType[] = ['DIPLOMA', 'SCHOOL_RECORD', 'CERTIFICATE'];

/** The children of `PublishCredentialRequest`, in the XSD's order. */
export interface PublishRequest {
  personalId: string;
  credentialType: CredentialType;
  credentialKey: string;
  title: string;
  issuerName: string;
  issueDate: string;
  documentHash: string;
  verifyUrl?: string;
}

interface EncodedBase {
  v: 1;
  messageId: string;
  credentialKey: string;
  /** the record field that holds the personal id (`data.sodinhdanh`): what a `11` answer names */
  personalIdField: string;
}

export interface EncodedPublish extends EncodedBase {
  operation: 'PublishCredential';
  request: PublishRequest;
}

export interface EncodedRevoke extends EncodedBase {
  operation: 'RevokeCredential';
  personalId: string;
  credentialType: CredentialType;
  /** the record's own reason, when it gives one (else the connection's `revokeReason`) */
  reason?: string;
}

/** A record that cannot become a credential: answered `rejected` with these errors, never sent. */
export interface EncodedProblem {
  v: 1;
  operation: 'PublishCredential' | 'RevokeCredential';
  credentialKey: string;
  problems: FieldError[];
}

export type EncodedCredential = EncodedPublish | EncodedRevoke | EncodedProblem;

/** How a record's data names the credential's fields (a summary, a diploma, a school record). */
interface CredentialView {
  credentialType: CredentialType;
  /** field names in the record's data */
  personalId: string;
  title: string | ((data: Record<string, unknown>) => string | undefined);
  issuerName: readonly string[];
  issueDate: string;
  credentialKey?: string;
  documentHash?: string;
  verifyUrl?: string;
  revokeReason?: string;
}

const SUMMARY_FIELDS = { personalId: 'personalId', title: 'title', issuerName: ['issuerName'], issueDate: 'issueDate', credentialKey: 'credentialKey', documentHash: 'documentHash', verifyUrl: 'verifyUrl', revokeReason: 'revokeReason' } as const;

const DIPLOMA: CredentialView = { credentialType: 'DIPLOMA', personalId: 'sodinhdanh', title: 'tenvanbangcc', issuerName: ['donvicap', 'tentruong'], issueDate: 'ngaycap_ngaythangnam' };

const SCHOOL_RECORD: CredentialView = {
  credentialType: 'SCHOOL_RECORD',
  personalId: 'sodinhdanh',
  title: (data) => {
    const grade = stringAt(data, 'tenlop');
    const year = stringAt(data, 'namhoc');
    return grade !== undefined && year !== undefined ? `Học bạ lớp ${grade}, năm học ${year}` : undefined;
  },
  issuerName: ['tentruong'],
  issueDate: 'ngaykyphathanh',
};

/** which form the record's data is in; undefined when it is no credential lienthong knows */
function viewOf(data: Record<string, unknown>): CredentialView | undefined {
  const type = data.credentialType;
  if (typeof type === 'string' && 'personalId' in data) {
    if (!(CREDENTIAL_TYPES as readonly string[]).includes(type)) return undefined;
    return { credentialType: type as CredentialType, ...SUMMARY_FIELDS };
  }
  if ('tenvanbangcc' in data && 'sodinhdanh' in data) return DIPLOMA;
  if ('namhoc' in data && 'tenlop' in data && 'sodinhdanh' in data) return SCHOOL_RECORD;
  return undefined;
}

function stringAt(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const PERSONAL_ID = /^[0-9]{12}$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const MAX_TEXT = 500;

function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** the staged record as the service's request, or its problems; pure (the plugin's `encode`) */
export function encodeCredential(record: StagedRecord): string {
  return JSON.stringify(credentialOf(record));
}

export function credentialOf(record: StagedRecord): EncodedCredential {
  const operation = record.event === 'CANCEL' ? 'RevokeCredential' : 'PublishCredential';
  let data: unknown;
  try {
    data = JSON.parse(record.dataJson);
  } catch (cause) {
    throw new BugError('VNEID_RECORD_NOT_JSON', 'a staged record\'s data is not JSON', { connector: 'vneid-credential', record: record.idbanghi }, { cause });
  }
  const problem = (field: string, code: string, message: string): EncodedProblem => ({ v: 1, operation, credentialKey: record.idbanghi, problems: [{ field, code, message }] });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return problem('data', 'VNEID_NOT_A_CREDENTIAL', 'the record\'s data is not an object');
  const fields = data as Record<string, unknown>;
  const view = viewOf(fields);
  if (view === undefined) {
    return problem(
      'data',
      'VNEID_NOT_A_CREDENTIAL',
      'the record is neither a credential summary (personalId, credentialType DIPLOMA | SCHOOL_RECORD | CERTIFICATE, title, issuerName, issueDate) nor a diploma or school record of the ministry formats',
    );
  }
  const problems: FieldError[] = [];
  const need = (field: string, value: string | undefined, check: (v: string) => boolean, code: string, what: string): string => {
    if (value === undefined) problems.push({ field: `data.${field}`, code: 'VNEID_FIELD_MISSING', message: `${field}: VNeID needs ${what}` });
    else if (!check(value)) problems.push({ field: `data.${field}`, code, message: `${field}: not ${what}` });
    return value ?? '';
  };
  const personalId = need(view.personalId, stringAt(fields, view.personalId), (v) => PERSONAL_ID.test(v), 'VNEID_PERSONAL_ID_INVALID', 'a 12-digit personal id');
  const credentialKey = view.credentialKey === undefined ? record.idbanghi : (stringAt(fields, view.credentialKey) ?? record.idbanghi);
  if (credentialKey.length > MAX_TEXT) problems.push({ field: view.credentialKey === undefined ? 'idbanghi' : `data.${view.credentialKey}`, code: 'VNEID_FIELD_TOO_LONG', message: `the credential key is longer than ${MAX_TEXT} characters` });
  const personalIdField = `data.${view.personalId}`;
  const messageIdOf = (documentHash: string): string => messageIdFor(operation, credentialKey, record.version, documentHash);

  if (operation === 'RevokeCredential') {
    if (problems.length > 0) return { v: 1, operation, credentialKey, problems };
    const reason = view.revokeReason === undefined ? undefined : stringAt(fields, view.revokeReason);
    return {
      v: 1,
      operation,
      messageId: messageIdOf(record.contentHash),
      credentialKey,
      personalIdField,
      personalId,
      credentialType: view.credentialType,
      ...(reason === undefined ? {} : { reason: reason.slice(0, MAX_TEXT) }),
    };
  }

  const text = (v: string): boolean => v.length <= MAX_TEXT;
  const titleField = typeof view.title === 'string' ? view.title : 'tenlop';
  const title = need(titleField, typeof view.title === 'string' ? stringAt(fields, view.title) : view.title(fields), text, 'VNEID_FIELD_TOO_LONG', `a title of at most ${MAX_TEXT} characters`);
  const issuerField = view.issuerName.find((f) => stringAt(fields, f) !== undefined) ?? view.issuerName[0]!;
  const issuerName = need(issuerField, stringAt(fields, issuerField), text, 'VNEID_FIELD_TOO_LONG', `an issuer name of at most ${MAX_TEXT} characters`);
  const issueDate = need(view.issueDate, stringAt(fields, view.issueDate), isCalendarDate, 'VNEID_ISSUE_DATE_INVALID', 'the full issue date (YYYY-MM-DD)');
  const documentHash =
    view.documentHash === undefined
      ? record.contentHash
      : need(view.documentHash, stringAt(fields, view.documentHash) ?? record.contentHash, (v) => SHA256_HEX.test(v), 'VNEID_DOCUMENT_HASH_INVALID', 'a SHA-256 in lowercase hex');
  const verifyUrl = view.verifyUrl === undefined ? undefined : stringAt(fields, view.verifyUrl);
  if (problems.length > 0) return { v: 1, operation, credentialKey, problems };
  return {
    v: 1,
    operation,
    messageId: messageIdOf(documentHash),
    credentialKey,
    personalIdField,
    request: {
      personalId,
      credentialType: view.credentialType,
      credentialKey,
      title,
      issuerName,
      issueDate,
      documentHash,
      ...(verifyUrl === undefined ? {} : { verifyUrl }),
    },
  };
}

/** the outbox text of a vneid-credential target, read back (a broken text is lienthong's bug) */
export function decodeCredential(encoded: string, idbanghi: string): EncodedCredential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(encoded);
  } catch (cause) {
    throw new BugError('VNEID_OUTBOX_UNREADABLE', 'the outbox text of a vneid-credential target is not JSON', { connector: 'vneid-credential', record: idbanghi }, { cause });
  }
  const e = parsed as Partial<EncodedCredential> | null;
  const known = e !== null && typeof e === 'object' && e.v === 1 && (e.operation === 'PublishCredential' || e.operation === 'RevokeCredential') && typeof e.credentialKey === 'string';
  if (!known) throw new BugError('VNEID_OUTBOX_UNREADABLE', 'the outbox text of a vneid-credential target is not a credential request', { connector: 'vneid-credential', record: idbanghi });
  return e as EncodedCredential;
}

/** a name-based UUID (RFC 9562 version 5 layout) in lienthong's own namespace */
const MESSAGE_ID_NAMESPACE = Buffer.from('6f1e3a52c1d94e0f9b1f0c2e8d7a4b31', 'hex');

/**
 * The message id (`xrd:id`) of one operation on one version of one record: the same for every
 * retry, in this process or after a restart, and different for any other operation, version or
 * content. Nothing has to be kept for it beyond the outbox text it is written into.
 */
export function messageIdFor(operation: string, credentialKey: string, version: number, documentHash: string): string {
  const digest = createHash('sha1').update(MESSAGE_ID_NAMESPACE).update(`${operation}\n${credentialKey}\n${version}\n${documentHash}`, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
