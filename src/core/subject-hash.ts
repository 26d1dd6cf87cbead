import { createHmac } from 'node:crypto';

/**
 * The keyed hash a ledger row keeps of the person's national id (CCCD / số định danh), so that an
 * operator can find a record by the full id without the store holding the id. Keyed (HMAC-SHA256
 * with the store's own random key) because a plain hash of a 12-digit id is found by trying them
 * all. Spaces and dots people type inside an id are ignored.
 */
export function subjectHash(key: Buffer, personalId: string): string {
  return createHmac('sha256', key).update(normalisePersonalId(personalId)).digest('hex');
}

export function normalisePersonalId(id: string): string {
  return id.replace(/[\s.]/g, '');
}

/** whether a search text is a personal id (9-digit CMND or 12-digit CCCD), not a record key */
export function looksLikePersonalId(text: string): boolean {
  return /^(\d{9}|\d{12})$/.test(normalisePersonalId(text));
}
