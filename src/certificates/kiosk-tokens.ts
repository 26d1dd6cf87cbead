import { DataError } from '../core/errors.js';
import type { StateStore } from '../store/store.js';
import { kioskTokenHash, newKioskToken } from './codes.js';

export const KIOSK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Creates (or rotates) a kiosk's token: 32 random bytes, stored only as its SHA-256, shown once.
 * The kiosk's old token stops working at once. Audited as `kiosk.token` (never the token).
 */
export async function createKioskToken(store: StateStore, kioskId: string, actor: string, address: string): Promise<string> {
  if (!KIOSK_ID_PATTERN.test(kioskId)) throw new DataError('CIM_KIOSK_ID_INVALID', 'a kiosk id is letters, digits, . _ - (at most 64)', { field: 'kioskId' });
  const token = newKioskToken();
  await store.putKioskToken(kioskId, kioskTokenHash(token), actor);
  await store.appendAudit({ actor, action: 'kiosk.token', subject: kioskId, address, outcome: 'ok', detail: {} });
  return token;
}
