/**
 * The cim-kiosk destination's wire form of a student change, as the engine's outbox keeps it:
 * `{"op":"put","studentId":…,"snapshot":{…}}` or `{"op":"delete","studentId":…}`.
 */
import { BugError } from '../../src/core/errors.js';
import type { StagedRecord } from '../../src/core/records.js';

export type StudentChange = { op: 'put'; studentId: string; snapshot: Record<string, unknown> } | { op: 'delete'; studentId: string };

/** A staged snapshot as a change for the kiosks: a CANCEL (the student left) is a DELETE. */
export function encodeChange(record: StagedRecord): string {
  if (record.event === 'CANCEL') return JSON.stringify({ op: 'delete', studentId: record.idbanghi });
  return JSON.stringify({ op: 'put', studentId: record.idbanghi, snapshot: JSON.parse(record.dataJson) as Record<string, unknown> });
}

export function decodeChange(encoded: string): StudentChange {
  const parsed = JSON.parse(encoded) as Partial<StudentChange> & { snapshot?: unknown };
  if (typeof parsed.studentId !== 'string' || (parsed.op !== 'put' && parsed.op !== 'delete')) {
    throw new BugError('KIOSK_CHANGE_MALFORMED', 'an outbox entry of the cim-kiosk destination is not a student change', { connector: 'cim-kiosk' });
  }
  if (parsed.op === 'put') {
    if (typeof parsed.snapshot !== 'object' || parsed.snapshot === null) throw new BugError('KIOSK_CHANGE_MALFORMED', 'a PUT change has no snapshot', { connector: 'cim-kiosk' });
    return { op: 'put', studentId: parsed.studentId, snapshot: parsed.snapshot as Record<string, unknown> };
  }
  return { op: 'delete', studentId: parsed.studentId };
}

/** What each answer of this destination means (docs, `check`). */
export const KIOSK_ANSWERS: Readonly<Record<string, string>> = {
  queued: 'the change is in every kiosk\'s lane in the state store (the engine\'s part is done); the lanes are forwarded at the end of the run',
  '2xx': 'the kiosk applied the change (PUT and DELETE are idempotent)',
  'DELETE 404': 'the kiosk did not have the student: removed already',
  'connection refused / unreachable': 'the kiosk is offline for the run: its changes stay queued, exit 3, sent by a later run',
  '5xx, 408, 429, timeout, dropped answer': 'asked again up to retry.attempts; then the lane stops and its changes stay queued (exit 3)',
  '401, 403': 'the kiosk refuses its token: the run ends with a configuration error (exit 2) after the other kiosks were served',
  'other 4xx': 'the kiosk refuses this change for good: a dead letter of that kiosk (exit 3)',
};
