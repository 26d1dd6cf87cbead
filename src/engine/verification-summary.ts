import type { RecordVerificationFields } from '../core/mapping.js';
import type { JsonObject, RecordEvent } from '../core/records.js';
import { maskHolderName } from '../domain/names.js';

/**
 * The public summary of a national record's version that the ledger keeps for the verification
 * page (src/verification/record-verification.ts): the kind, the number, the decision number, the
 * issue date, the holder's name already masked, and whether the version revokes the record. Made
 * at mapping time from the mapping's `verification` fields; never the personal id, the birth date
 * or a grade, and the full name never reaches the store through it.
 */

/** What the ledger keeps of a version for the verification page (JSON in `ledger.verification`). */
export interface VerificationSummary {
  kind: 'diploma' | 'school-record';
  number: string | null;
  decisionNo: string | null;
  issuedOn: string | null;
  holder: string;
  /** the version is a CANCEL: the record is revoked or cancelled */
  revoked: boolean;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : null);

/** the summary of one mapped record as JSON text, or null for a mapping without verification fields */
export function verificationSummaryOf(fields: RecordVerificationFields | undefined, data: JsonObject, event: RecordEvent): string | null {
  if (fields === undefined) return null;
  const summary: VerificationSummary = {
    kind: fields.kind,
    number: text(data[fields.numberField]),
    decisionNo: fields.decisionField === undefined ? null : text(data[fields.decisionField]),
    issuedOn: fields.issueDateFields.map((f) => text(data[f])).find((v) => v !== null) ?? null,
    holder: maskHolderName(text(data[fields.holderField]) ?? ''),
    revoked: event === 'CANCEL',
  };
  return JSON.stringify(summary);
}
