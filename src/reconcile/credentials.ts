/**
 * The credential column of the report: for every record the hub holds, what a credential service
 * that publishes after the hub (a job's destination with `after:`, VNeID) holds for it, asked per
 * person (the service answers by personal id). The personal ids are used for the questions only:
 * the report names records by idbanghi and source key.
 */
import { asLienthongError } from '../core/errors.js';
import type { HeldRecord } from '../core/records.js';
import type { CredentialCheck, CredentialEntry, CredentialState } from './types.js';
import { CREDENTIAL_STATES } from './types.js';

/** One credential as the service answers it. */
export interface HeldCredential {
  /** the national record id it summarises (VNeID's credentialKey) */
  key: string;
  contentHash: string;
  revoked: boolean;
}

/** How reconciliation asks a credential service what it holds for one person. */
export interface CredentialLookup {
  /** the destination's target (`connection/dataset`), for the report */
  target: string;
  lookup(personalId: string, signal?: AbortSignal): Promise<HeldCredential[]>;
}

/** questions in flight at once: a SOAP service per person, not a bulk API */
const CONCURRENCY = 8;

/**
 * Where each record the hub holds stands at the credential service: `published` (active, with the
 * hub's content hash), `missing` (the hub holds it valid, the service has nothing), `hashDiffers`
 * (active with another hash: an older version), `revoked` (the hub holds a CANCEL, the credential
 * is revoked), `cancelledUnpublished` (the hub holds a CANCEL and the service never had it: revoked
 * before it was published, nothing to do), `wrongState` (revoked though the hub holds it valid, or
 * active though cancelled). Every record the hub holds is counted in one of them.
 */
export async function checkCredentials(
  records: readonly { idbanghi: string; sourceKey: string; personalId: string | null }[],
  hub: ReadonlyMap<string, HeldRecord>,
  credentials: CredentialLookup,
): Promise<CredentialCheck> {
  const byPerson = new Map<string, { idbanghi: string; sourceKey: string }[]>();
  let unknownPerson = 0;
  for (const r of records) {
    if (!hub.has(r.idbanghi)) continue;
    if (r.personalId === null) {
      unknownPerson++;
      continue;
    }
    const list = byPerson.get(r.personalId) ?? [];
    list.push({ idbanghi: r.idbanghi, sourceKey: r.sourceKey });
    byPerson.set(r.personalId, list);
  }
  const people = [...byPerson.entries()];
  const entries: CredentialEntry[] = [];
  let next = 0;
  // a service that cannot be asked (down, a login refused) leaves the column incomplete, saying
  // why: the rest of the report (the source, the ledger, the hub) is still worth having
  let unavailable: { code: string; message: string } | undefined;
  const worker = async (): Promise<void> => {
    while (next < people.length && unavailable === undefined) {
      const [personalId, own] = people[next++] as [string, { idbanghi: string; sourceKey: string }[]];
      let answer: HeldCredential[];
      try {
        answer = await credentials.lookup(personalId);
      } catch (err) {
        const e = asLienthongError(err);
        unavailable ??= { code: e.code, message: e.message };
        return;
      }
      const held = new Map(answer.map((c) => [c.key, c]));
      for (const r of own) {
        entries.push(stateOf(r, hub.get(r.idbanghi) as HeldRecord, held.get(r.idbanghi)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, people.length) }, worker));
  entries.sort((a, b) => a.idbanghi.localeCompare(b.idbanghi));
  const counts = Object.fromEntries(CREDENTIAL_STATES.map((s) => [s, 0])) as Record<CredentialState, number>;
  for (const e of entries) counts[e.state]++;
  return { target: credentials.target, counts, entries, ...(unknownPerson > 0 ? { withoutPersonalId: unknownPerson } : {}), ...(unavailable ? { unavailable } : {}) };
}

function stateOf(r: { idbanghi: string; sourceKey: string }, hub: HeldRecord, held: HeldCredential | undefined): CredentialEntry {
  const cancelled = hub.sukien === 'CANCEL';
  const base = { idbanghi: r.idbanghi, sourceKey: r.sourceKey, hubHash: hub.contentHash, ...(held ? { heldHash: held.contentHash } : {}) };
  if (held === undefined) return { ...base, state: cancelled ? 'cancelledUnpublished' : 'missing' };
  if (cancelled) return { ...base, state: held.revoked ? 'revoked' : 'wrongState' };
  if (held.revoked) return { ...base, state: 'wrongState' };
  return { ...base, state: held.contentHash === hub.contentHash ? 'published' : 'hashDiffers' };
}

/** A destination that can say what it holds for one person (the vneid-credential destination's QueryCredentials). */
interface PersonQueryable {
  queryCredentials(personalId: string, signal?: AbortSignal): Promise<{ credentials: { credentialKey: string; documentHash: string; status: string }[] }>;
}

function canQueryPersons(connector: unknown): connector is PersonQueryable {
  return typeof (connector as Partial<PersonQueryable> | null)?.queryCredentials === 'function';
}

/**
 * The lookup of a job's destination that publishes credentials after `upstream` (its `after:`
 * names it) and can be asked per person; undefined when the job has none.
 */
export function credentialLookupOf(destinations: readonly { connection: string; dataset: string; after?: string | undefined; connector: unknown }[], upstream: { connection: string; dataset: string }): CredentialLookup | undefined {
  const names = [upstream.connection, `${upstream.connection}/${upstream.dataset}`];
  const found = destinations.find((d) => d.after !== undefined && names.includes(d.after) && canQueryPersons(d.connector));
  if (!found || !canQueryPersons(found.connector)) return undefined;
  const connector = found.connector;
  return {
    target: `${found.connection}/${found.dataset}`,
    lookup: async (personalId, signal) => (await connector.queryCredentials(personalId, signal)).credentials.map((c) => ({ key: c.credentialKey, contentHash: c.documentHash, revoked: c.status === 'REVOKED' })),
  };
}
