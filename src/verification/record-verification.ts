import type { LoadedConfig } from '../config/load.js';
import { targetsOf } from '../services/context.js';
import type { StateStore, TargetId } from '../store/store.js';
import type { VerificationSummary } from '../engine/verification-summary.js';

/**
 * The public verification of a national record (a diploma, a school record) by its `idbanghi`,
 * the VNeID credentialKey: `GET /verify/record/:idbanghi`. The ledger keeps, per staged version,
 * a small public summary made at mapping time (src/engine/verification-summary.ts). When the hub
 * accepts that version the store keeps the summary with the version and the content hash the hub
 * holds (`accepted_verification`): a record staged again (pending, rejected) still answers with
 * what the hub last accepted.
 */

/** What anyone may learn of a record from its idbanghi. */
export interface RecordVerification {
  genuine: true;
  idbanghi: string;
  kind: 'diploma' | 'school-record';
  number: string | null;
  decisionNo: string | null;
  issuedOn: string | null;
  holder: string;
  /** the SHA-256 of the record's content as the hub holds it */
  sha256: string;
  phienban: number;
  revoked: boolean;
  /** when the hub accepted the version shown (the revocation, for a revoked record) */
  acceptedAt: string | null;
}

const ID_PATTERN = /^[0-9A-Za-z-]{1,64}$/;

/**
 * The targets whose acceptance makes a record genuine: every job's destination at a
 * `ministry-hub` connection (a VNeID or kiosk target only repeats what the hub accepted).
 */
export function hubTargets(loaded: LoadedConfig): Set<TargetId> {
  const out = new Set<TargetId>();
  for (const job of loaded.jobs.values()) {
    for (const t of targetsOf(job)) if (loaded.config.connections[t.connection]?.type === 'ministry-hub') out.add(t.target);
  }
  return out;
}

/** null for an id no hub target accepted (unknown, pending, rejected, or not even an id's shape). */
export async function verifyRecordId(store: StateStore, hubs: ReadonlySet<TargetId>, idbanghi: string): Promise<RecordVerification | null> {
  if (!ID_PATTERN.test(idbanghi)) return null;
  const rows = (await store.recordVerifications(idbanghi)).filter((r) => hubs.has(r.target));
  // one record at two hub connections (a migration between hubs): the latest acceptance speaks
  const found = rows
    .map((r) => JSON.parse(r.accepted) as VerificationSummary & { phienban: number; contentHash: string; acceptedAt: string | null })
    .sort((a, b) => (b.acceptedAt ?? '').localeCompare(a.acceptedAt ?? ''))[0];
  if (found === undefined) return null;
  return {
    genuine: true,
    idbanghi,
    kind: found.kind,
    number: found.number,
    decisionNo: found.decisionNo,
    issuedOn: found.issuedOn,
    holder: found.holder,
    sha256: found.contentHash,
    phienban: found.phienban,
    revoked: found.revoked,
    acceptedAt: found.acceptedAt,
  };
}
