import { BugError } from '../../src/core/errors.js';
import {
  SIGNING_DOCUMENT_STATES,
  type AwaitedSignerRow,
  type SigningDocument,
  type SigningDocumentState,
  type SigningItem,
  type SigningRequest,
  type SigningRequestFilter,
  type SigningRequestState,
  type SigningStore,
} from '../../src/store/signing-store.js';
import { SqliteCertificateStore } from './sqlite-certificate-store.js';

interface DocumentDbRow {
  job: string;
  idbanghi: string;
  content_hash: string;
  phienban: number;
  xml: string;
  state: SigningDocumentState;
  awaiting: string;
  reason: string | null;
  updated_at: string;
}

interface ItemDbRow {
  job: string;
  idbanghi: string;
  signature_id: string;
  class_key: string;
  role: string;
  signer_id: string;
  digest: string;
  request_id: string | null;
  signature_value: string | null;
}

interface RequestDbRow {
  id: string;
  job: string;
  class_key: string;
  role: string;
  signer_id: string;
  state: SigningRequestState;
  transaction_id: string | null;
  expires_at: string | null;
  reason: string | null;
  description: string;
  items: number;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

const toDocument = (r: DocumentDbRow): SigningDocument => ({
  job: r.job,
  idbanghi: r.idbanghi,
  contentHash: r.content_hash,
  phienban: r.phienban,
  xml: r.xml,
  state: r.state,
  awaiting: JSON.parse(r.awaiting) as AwaitedSignerRow[],
  reason: r.reason,
  updatedAt: r.updated_at,
});
const toItem = (r: ItemDbRow): SigningItem => ({
  job: r.job,
  idbanghi: r.idbanghi,
  signatureId: r.signature_id,
  classKey: r.class_key,
  role: r.role,
  signerId: r.signer_id,
  digest: r.digest,
  requestId: r.request_id,
  signatureValue: r.signature_value,
});
const toRequest = (r: RequestDbRow): SigningRequest => ({
  id: r.id,
  job: r.job,
  classKey: r.class_key,
  role: r.role,
  signerId: r.signer_id,
  state: r.state,
  transactionId: r.transaction_id,
  expiresAt: r.expires_at,
  reason: r.reason,
  description: r.description,
  items: r.items,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
});

const now = (): string => new Date().toISOString();
const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
const ITEM_COLUMNS = 'job, idbanghi, signature_id, class_key, role, signer_id, digest, request_id, signature_value';

/**
 * The remote signing workflow's part of the SQLite state store (signing-store.ts, migration 5).
 * SqliteConsoleStore extends it: one database, one connection. Statements are few and run per
 * request or per document, not per record of a run, so they are prepared where they are used.
 */
export class SqliteSigningStore extends SqliteCertificateStore implements SigningStore {

  async putSigningDocument(doc: Omit<SigningDocument, 'updatedAt'>): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO signing_documents (job, idbanghi, content_hash, phienban, xml, state, awaiting, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (job, idbanghi) DO UPDATE SET content_hash = excluded.content_hash, phienban = excluded.phienban, xml = excluded.xml,
           state = excluded.state, awaiting = excluded.awaiting, reason = excluded.reason, updated_at = excluded.updated_at`,
      )
      .run(doc.job, doc.idbanghi, doc.contentHash, doc.phienban, doc.xml, doc.state, JSON.stringify(doc.awaiting), doc.reason, now());
  }

  async getSigningDocument(job: string, idbanghi: string): Promise<SigningDocument | null> {
    const row = this.db.prepare('SELECT * FROM signing_documents WHERE job = ? AND idbanghi = ?').get(job, idbanghi) as DocumentDbRow | undefined;
    return row ? toDocument(row) : null;
  }

  async signingDocuments(job: string, states?: SigningDocumentState[]): Promise<SigningDocument[]> {
    const rows =
      states && states.length > 0
        ? this.db.prepare(`SELECT * FROM signing_documents WHERE job = ? AND state IN (${placeholders(states.length)}) ORDER BY idbanghi`).all(job, ...states)
        : this.db.prepare('SELECT * FROM signing_documents WHERE job = ? ORDER BY idbanghi').all(job);
    return (rows as DocumentDbRow[]).map(toDocument);
  }

  async signingDocumentCounts(job: string): Promise<Record<SigningDocumentState, number>> {
    const counts = Object.fromEntries(SIGNING_DOCUMENT_STATES.map((s) => [s, 0])) as Record<SigningDocumentState, number>;
    const rows = this.db.prepare('SELECT state, count(*) AS n FROM signing_documents WHERE job = ? GROUP BY state').all(job) as { state: SigningDocumentState; n: number }[];
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  async putSigningItems(job: string, idbanghi: string, items: Omit<SigningItem, 'job' | 'idbanghi' | 'requestId' | 'signatureValue'>[]): Promise<void> {
    const keep = items.map((i) => i.signatureId);
    const upsert = this.db.prepare(
      `INSERT INTO signing_items (job, idbanghi, signature_id, class_key, role, signer_id, digest) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (job, idbanghi, signature_id) DO UPDATE SET class_key = excluded.class_key, role = excluded.role, signer_id = excluded.signer_id,
         digest = excluded.digest,
         -- a new digest is a new preparation: whatever request carried the old one no longer covers it
         request_id = CASE WHEN digest = excluded.digest THEN request_id END,
         seq = CASE WHEN digest = excluded.digest THEN seq END,
         signature_value = CASE WHEN digest = excluded.digest THEN signature_value END`,
    );
    this.db.transaction(() => {
      this.db
        .prepare(`DELETE FROM signing_items WHERE job = ? AND idbanghi = ?${keep.length > 0 ? ` AND signature_id NOT IN (${placeholders(keep.length)})` : ''}`)
        .run(job, idbanghi, ...keep);
      for (const i of items) upsert.run(job, idbanghi, i.signatureId, i.classKey, i.role, i.signerId, i.digest);
    })();
  }

  async undispatchedSigningItems(job: string): Promise<SigningItem[]> {
    const rows = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM signing_items WHERE job = ? AND request_id IS NULL ORDER BY class_key, role, signer_id, idbanghi`).all(job);
    return (rows as ItemDbRow[]).map(toItem);
  }

  async signingItemsOf(requestId: string): Promise<SigningItem[]> {
    const rows = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM signing_items WHERE request_id = ? ORDER BY seq`).all(requestId);
    return (rows as ItemDbRow[]).map(toItem);
  }

  async signingItemsFor(job: string, idbanghi: string): Promise<SigningItem[]> {
    const rows = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM signing_items WHERE job = ? AND idbanghi = ? ORDER BY signature_id`).all(job, idbanghi);
    return (rows as ItemDbRow[]).map(toItem);
  }

  async createSigningRequest(request: Omit<SigningRequest, 'items' | 'createdAt' | 'decidedAt' | 'decidedBy'>, items: { idbanghi: string; signatureId: string }[]): Promise<SigningRequest> {
    const attach = this.db.prepare('UPDATE signing_items SET request_id = ?, seq = ? WHERE job = ? AND idbanghi = ? AND signature_id = ? AND request_id IS NULL');
    return this.db.transaction((): SigningRequest => {
      const row = this.db
        .prepare(
          `INSERT INTO signing_requests (id, job, class_key, role, signer_id, state, transaction_id, expires_at, reason, description, items, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(request.id, request.job, request.classKey, request.role, request.signerId, request.state, request.transactionId, request.expiresAt, request.reason, request.description, items.length, now()) as RequestDbRow;
      for (const [seq, i] of items.entries()) {
        // an item already in another request would be signed twice: a fault of the caller
        if (attach.run(request.id, seq, request.job, i.idbanghi, i.signatureId).changes !== 1) {
          throw new BugError('SIGNING_ITEM_TAKEN', `signature ${i.signatureId} of ${i.idbanghi} is not a prepared item free for a request`);
        }
      }
      return toRequest(row);
    })();
  }

  async getSigningRequest(id: string): Promise<SigningRequest | null> {
    const row = this.db.prepare('SELECT * FROM signing_requests WHERE id = ?').get(id) as RequestDbRow | undefined;
    return row ? toRequest(row) : null;
  }

  async signingRequests(job: string, filter: SigningRequestFilter = {}): Promise<SigningRequest[]> {
    const where = ['job = ?'];
    const args: unknown[] = [job];
    if (filter.state && filter.state.length > 0) {
      where.push(`state IN (${placeholders(filter.state.length)})`);
      args.push(...filter.state);
    }
    if (filter.signerId !== undefined) {
      where.push('signer_id = ?');
      args.push(filter.signerId);
    }
    const rows = this.db.prepare(`SELECT * FROM signing_requests WHERE ${where.join(' AND ')} ORDER BY created_at, class_key, role, signer_id, id`).all(...args);
    return (rows as RequestDbRow[]).map(toRequest);
  }

  async updateSigningRequest(
    id: string,
    from: SigningRequestState[],
    patch: { state: SigningRequestState; transactionId?: string | null; expiresAt?: string | null; reason?: string | null; decidedBy?: string | null; values?: string[] },
  ): Promise<boolean> {
    const decided = patch.state !== 'requested' && patch.state !== 'review';
    return this.db.transaction((): boolean => {
      const changed = this.db
        .prepare(
          `UPDATE signing_requests SET state = ?,
             transaction_id = CASE WHEN ? THEN ? ELSE transaction_id END,
             expires_at = CASE WHEN ? THEN ? ELSE expires_at END,
             reason = CASE WHEN ? THEN ? ELSE reason END,
             decided_by = CASE WHEN ? THEN ? ELSE decided_by END,
             decided_at = CASE WHEN ? THEN ? ELSE decided_at END
           WHERE id = ? AND state IN (${placeholders(from.length)})`,
        )
        .run(
          patch.state,
          ...[patch.transactionId, patch.expiresAt, patch.reason, patch.decidedBy].flatMap((v) => [v === undefined ? 0 : 1, v ?? null]),
          decided || patch.decidedBy !== undefined ? 1 : 0,
          now(),
          id,
          ...from,
        ).changes;
      if (changed !== 1) return false;
      if (patch.values) {
        const set = this.db.prepare('UPDATE signing_items SET signature_value = ? WHERE request_id = ? AND seq = ?');
        for (const [seq, value] of patch.values.entries()) set.run(value, id, seq);
      }
      return true;
    })();
  }

  async releaseSigningItems(requestId: string): Promise<number> {
    return this.db.prepare('UPDATE signing_items SET request_id = NULL, seq = NULL, signature_value = NULL WHERE request_id = ?').run(requestId).changes;
  }

  async removeRecordFromSigningRequest(requestId: string, idbanghi: string, description: string): Promise<number | null> {
    return this.db.transaction((): number | null => {
      const request = this.db.prepare("SELECT id FROM signing_requests WHERE id = ? AND state = 'review'").get(requestId);
      if (!request) return null;
      const removed = this.db.prepare('UPDATE signing_items SET request_id = NULL, seq = NULL, signature_value = NULL WHERE request_id = ? AND idbanghi = ?').run(requestId, idbanghi).changes;
      if (removed === 0) return null;
      // the values come back in sent order and are written by seq: the rest is numbered 0..n-1 again
      const rest = this.db.prepare('SELECT job, idbanghi, signature_id FROM signing_items WHERE request_id = ? ORDER BY seq').all(requestId) as { job: string; idbanghi: string; signature_id: string }[];
      const renumber = this.db.prepare('UPDATE signing_items SET seq = ? WHERE job = ? AND idbanghi = ? AND signature_id = ?');
      for (const [seq, row] of rest.entries()) renumber.run(seq, row.job, row.idbanghi, row.signature_id);
      this.db.prepare('UPDATE signing_requests SET items = ?, description = ? WHERE id = ?').run(rest.length, description, requestId);
      return rest.length;
    })();
  }
}
