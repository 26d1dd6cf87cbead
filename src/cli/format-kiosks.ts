import type { KioskHealth } from '../store/kiosk-store.js';

/** One line per kiosk for `lienthong status`: state, last seen, last sync, queue. */
export function kioskLines(kiosks: readonly KioskHealth[] | undefined): string[] {
  return (kiosks ?? []).map((k) => {
    const state = k.online === null ? 'never tried' : k.online ? 'online' : `OFFLINE${k.offlineSince ? ` since ${k.offlineSince}` : ''}`;
    const queue = `queue ${k.queueDepth}${k.oldestQueuedAt ? ` (oldest ${k.oldestQueuedAt})` : ''}${k.dead > 0 ? `, refused ${k.dead}` : ''}`;
    const error = k.lastErrorCode ? `, last error ${k.lastErrorCode}` : '';
    return `  kiosk ${k.connection}/${k.kioskId}: ${state}; last seen ${k.lastSeenAt ?? 'never'}; last sync ${k.lastSyncAt ?? 'never'}; ${queue}${error}`;
  });
}
