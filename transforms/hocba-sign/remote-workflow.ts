/**
 * The remote signing workflow between runs (docs/signing.md): dispatch the prepared signatures as
 * one request per signer, class and role; collect the decisions and write the returned values into
 * the documents; approve or return a request held for review; ask again. Plain functions over the
 * state store's SigningStore part and a remote signing client. The hocba-sign transform (remote
 * mode, remote.ts) prepares the signatures and seals finished documents; a job run collects before
 * it transforms and dispatches after (the transformer's beforeRun/afterRun hooks; docs/signing.md).
 * The CLI reaches these through src/services/signing.ts.
 */
import { randomUUID } from 'node:crypto';
import { DataError, LienthongError } from '../../src/core/errors.js';
import { maskPersonalId, maskPersonalIdsInText } from '../../src/core/redact.js';
import type { ConsoleStore } from '../../src/store/console-store.js';
import type { SigningItem, SigningRequest, SigningStore } from '../../src/store/signing-store.js';
import { completeWaitingSignatures, MAX_HASHES_PER_REQUEST } from '../../documents/xmldsig/two-phase.js';
import type { RemoteSigners } from './remote-signers.js';

export interface SigningEnv {
  store: SigningStore & Pick<ConsoleStore, 'appendAudit'>;
  signers: RemoteSigners;
  /** requests wait in `review` until approved in the console or with `lienthong signing approve` */
  review: boolean;
  /** how long collect waits for one pending decision before leaving it to the next run (default 2 s) */
  maxWaitMs?: number;
  /** the audit address of who acts (`cli` on the machine, the remote address in the console) */
  address?: string;
}

/** A signer a dispatch could not ask: the certificate was refused, or the service has no key for them. */
export interface SignerRefusal {
  role: string;
  classKey: string;
  signer: string;
  code: string;
  message: string;
}

export interface DispatchResult {
  requests: SigningRequest[];
  refused: SignerRefusal[];
}

export interface CollectResult {
  approved: number;
  rejected: number;
  expired: number;
  pending: number;
  /** documents whose every person's signature is now in (sealed and sent by the next transform) */
  documentsReady: number;
  /** values that did not verify in their document (never written) */
  failures: { request: string; idbanghi: string; message: string }[];
}

/** What the signer reads on their phone: the school, the class, the subject or role, how many pupils. */
export function requestDescription(classKey: string, role: string, pupils: number): string {
  const [school, tenlop, namhoc] = classKey.split('/');
  const what = role.startsWith('subject:')
    ? `môn ${role.slice('subject:'.length)}`
    : role === 'subject-in-place'
      ? 'hiệu trưởng ký thay các môn có giáo viên đã nghỉ'
      : role === 'homeroom'
        ? 'giáo viên chủ nhiệm'
        : 'hiệu trưởng';
  return `Ký học bạ năm học ${namhoc ?? ''}: trường ${school ?? ''}, lớp ${tenlop ?? ''}, ${what}, ${pupils} học sinh`;
}

/**
 * Groups a job's prepared items per class, role and signer into requests of at most 500 hashes,
 * leaving out records a signer returned. Each signer's credential and certificate are checked
 * before anything of theirs is made or sent; with review the requests wait for approval.
 */
export async function dispatchSigning(env: SigningEnv, job: string): Promise<DispatchResult> {
  const { store } = env;
  const returned = new Set((await store.signingDocuments(job, ['returned'])).map((d) => d.idbanghi));
  const groups = new Map<string, SigningItem[]>();
  for (const item of await store.undispatchedSigningItems(job)) {
    if (returned.has(item.idbanghi)) continue;
    const key = `${item.classKey}\n${item.role}\n${item.signerId}`;
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  const result: DispatchResult = { requests: [], refused: [] };
  for (const items of groups.values()) {
    const first = items[0]!;
    try {
      await env.signers.signerFor(first.signerId);
    } catch (err) {
      if (!(err instanceof LienthongError) || err.kind !== 'data') throw err;
      result.refused.push({ role: first.role, classKey: first.classKey, signer: maskPersonalId(first.signerId), code: err.code, message: maskPersonalIdsInText(err.message) });
      continue;
    }
    for (let i = 0; i < items.length; i += MAX_HASHES_PER_REQUEST) {
      const part = items.slice(i, i + MAX_HASHES_PER_REQUEST);
      const request = await store.createSigningRequest(
        {
          id: randomUUID(),
          job,
          classKey: first.classKey,
          role: first.role,
          signerId: first.signerId,
          state: env.review ? 'review' : 'requested',
          transactionId: null,
          expiresAt: null,
          reason: null,
          // pupils, not hashes: the principal signing two subjects in place signs two hashes a pupil
          description: requestDescription(first.classKey, first.role, new Set(part.map((p) => p.idbanghi)).size),
        },
        part.map((p) => ({ idbanghi: p.idbanghi, signatureId: p.signatureId })),
      );
      result.requests.push(env.review ? request : await send(env, request, null));
    }
  }
  return result;
}

/**
 * Sends a request's hashes (again, with the same clientRequestId: the service answers the same
 * transaction). The signer's certificate is checked first.
 */
async function send(env: SigningEnv, request: SigningRequest, decidedBy: string | null): Promise<SigningRequest> {
  const signer = await env.signers.signerFor(request.signerId);
  const items = await env.store.signingItemsOf(request.id);
  const tx = await env.signers.client.signHash({ credentialId: signer.credentialId, hashes: items.map((i) => Buffer.from(i.digest, 'base64')), description: request.description, clientRequestId: request.id });
  const patch = { state: 'requested' as const, transactionId: tx.transactionId, expiresAt: tx.expiresAt.toISOString(), ...(decidedBy === null ? {} : { decidedBy }) };
  await env.store.updateSigningRequest(request.id, ['review', 'requested'], patch);
  return { ...request, ...patch, decidedBy: decidedBy ?? request.decidedBy };
}

/**
 * Asks the service about every request still waiting for a signer: approved values are written into
 * their documents (each verified against its signature; a wrong value never enters a document),
 * a rejection returns the records with the signer's reason, an expiry is kept for `retry`.
 */
export async function collectSigning(env: SigningEnv, job: string): Promise<CollectResult> {
  const { store } = env;
  const result: CollectResult = { approved: 0, rejected: 0, expired: 0, pending: 0, documentsReady: 0, failures: [] };
  for (let request of await store.signingRequests(job, { state: ['requested', 'approved'] })) {
    if (request.state === 'requested') {
      // made but not known to be sent (a crash, a failure between the two): send again, idempotent
      if (request.transactionId === null) request = await send(env, request, null);
      const decision = await env.signers.client.waitForDecision(request.transactionId!, { maxWaitMs: env.maxWaitMs ?? 2000 });
      if (decision.status === 'PENDING') {
        result.pending++;
        continue;
      }
      if (decision.status === 'EXPIRED') {
        await store.updateSigningRequest(request.id, ['requested'], { state: 'expired' });
        result.expired++;
        continue;
      }
      if (decision.status === 'REJECTED') {
        await store.updateSigningRequest(request.id, ['requested'], { state: 'rejected', reason: decision.reason });
        await returnDocuments(env, request, decision.reason);
        result.rejected++;
        continue;
      }
      await store.updateSigningRequest(request.id, ['requested'], { state: 'approved', values: decision.signatures.map((v) => v.toString('base64')) });
      result.approved++;
    }
    // approved: write the values into the documents (again after a crash: completing is idempotent per document state)
    result.documentsReady += await completeRequest(env, request, result);
    await store.updateSigningRequest(request.id, ['approved'], { state: 'completed' });
  }
  return result;
}

async function completeRequest(env: SigningEnv, request: SigningRequest, result: CollectResult): Promise<number> {
  const { store } = env;
  const byRecord = new Map<string, SigningItem[]>();
  for (const item of await store.signingItemsOf(request.id)) byRecord.set(item.idbanghi, [...(byRecord.get(item.idbanghi) ?? []), item]);
  let ready = 0;
  for (const idbanghi of byRecord.keys()) {
    const doc = await store.getSigningDocument(request.job, idbanghi);
    if (!doc || doc.state !== 'awaiting') continue;
    // every value the document has items for, not only this request's: values approved while the
    // document was returned to the school were kept in their items and go in now
    const all = await store.signingItemsFor(request.job, idbanghi);
    let xml: string;
    try {
      xml = await withValuesWritten(doc.xml, all);
    } catch (err) {
      result.failures.push({ request: request.id, idbanghi, message: maskPersonalIdsInText(err instanceof Error ? err.message : String(err)) });
      continue;
    }
    const awaiting = all.filter((i) => i.signatureValue === null).map((i) => ({ role: i.role, signerId: i.signerId }));
    await store.putSigningDocument({ ...doc, xml, awaiting });
    if (awaiting.length === 0) ready++;
  }
  return ready;
}

/** The document with every value its items hold written in (those already in it are left as they are). */
export async function withValuesWritten(xml: string, items: readonly SigningItem[]): Promise<string> {
  const values = items.flatMap((i) => (i.signatureValue === null ? [] : [{ signatureId: i.signatureId, value: Buffer.from(i.signatureValue, 'base64') }]));
  return values.length === 0 ? xml : completeWaitingSignatures(xml, values);
}

/** The records of a rejected or returned request go back to the school with the reason. */
async function returnDocuments(env: SigningEnv, request: SigningRequest, reason: string): Promise<void> {
  const { store } = env;
  const records = new Set((await store.signingItemsOf(request.id)).map((i) => i.idbanghi));
  for (const idbanghi of records) {
    const doc = await store.getSigningDocument(request.job, idbanghi);
    if (!doc || doc.state === 'complete') continue;
    await store.putSigningDocument({ ...doc, state: 'returned', reason, awaiting: [{ role: request.role, signerId: request.signerId }] });
  }
  // the items are prepared again, sent only once the record changes or staff ask again
  await store.releaseSigningItems(request.id);
}

async function reviewed(env: SigningEnv, id: string): Promise<SigningRequest> {
  const request = await env.store.getSigningRequest(id);
  if (!request) throw new DataError('SIGNING_REQUEST_NOT_FOUND', `no signing request ${id}`, { request: id });
  if (request.state !== 'review') throw new DataError('SIGNING_REQUEST_NOT_IN_REVIEW', `signing request ${id} is ${request.state}, not waiting for review`, { request: id, state: request.state });
  return request;
}

/** Approves a request held for review: it goes to the signer's phone. Audited. */
export async function approveSigningRequest(env: SigningEnv, id: string, by: string): Promise<SigningRequest> {
  const request = await reviewed(env, id);
  const sent = await send(env, request, by);
  await env.store.appendAudit({ actor: by, action: 'signing.approve', subject: id, address: env.address ?? 'cli', outcome: 'ok', detail: { job: request.job, classKey: request.classKey, role: request.role, items: request.items } });
  return sent;
}

/** Returns a request held for review with a reason: its records go back to the school. Audited. */
export async function returnSigningRequest(env: SigningEnv, id: string, by: string, reason: string): Promise<void> {
  const request = await reviewed(env, id);
  await env.store.updateSigningRequest(id, ['review'], { state: 'rejected', reason, decidedBy: by });
  await returnDocuments(env, request, reason);
  await env.store.appendAudit({ actor: by, action: 'signing.return', subject: id, address: env.address ?? 'cli', outcome: 'ok', detail: { job: request.job, classKey: request.classKey, role: request.role, items: request.items } });
}

/**
 * Returns ONE record of a request held for review, with a reason (the signer found that pupil's data
 * wrong): the record goes back to the school, and the request goes on without it, still in review,
 * its count and the description the phone will show made for the records left. The contract allows
 * this only before the request is sent: a signHash transaction carries its hashes and is approved or
 * rejected as a whole, with no way to take one out, while a request in review has not reached the
 * service (its clientRequestId unused), so the signer's approval of the rest needs no second review.
 * The last record of a request returned this way returns the request. Audited (`signing.return`,
 * with the record).
 */
export async function returnSigningRecord(env: SigningEnv, id: string, idbanghi: string, by: string, reason: string): Promise<SigningRequest> {
  const request = await reviewed(env, id);
  const items = await env.store.signingItemsOf(id);
  const taken = items.filter((i) => i.idbanghi === idbanghi).length;
  if (taken === 0) throw new DataError('SIGNING_RECORD_NOT_IN_REQUEST', `signing request ${id} does not carry record ${idbanghi}`, { request: id, record: idbanghi });
  const left = items.length - taken;
  const detail = { job: request.job, classKey: request.classKey, role: request.role, items: taken, record: idbanghi, left };
  if (left === 0) {
    await env.store.updateSigningRequest(id, ['review'], { state: 'rejected', reason, decidedBy: by });
  } else if ((await env.store.removeRecordFromSigningRequest(id, idbanghi, requestDescription(request.classKey, request.role, new Set(items.filter((i) => i.idbanghi !== idbanghi).map((i) => i.idbanghi)).size))) === null) {
    throw new DataError('SIGNING_REQUEST_NOT_IN_REVIEW', `signing request ${id} is no longer waiting for review`, { request: id });
  }
  const doc = await env.store.getSigningDocument(request.job, idbanghi);
  if (doc && doc.state !== 'complete') await env.store.putSigningDocument({ ...doc, state: 'returned', reason, awaiting: [{ role: request.role, signerId: request.signerId }] });
  if (left === 0) await env.store.releaseSigningItems(id);
  await env.store.appendAudit({ actor: by, action: 'signing.return', subject: id, address: env.address ?? 'cli', outcome: 'ok', detail });
  return (await env.store.getSigningRequest(id)) ?? request;
}

/**
 * Asks again: expired requests' items are prepared again, and records returned (by this signer,
 * when named) wait again; the next dispatch sends them. Answers how many items and records.
 */
export async function retrySigning(env: SigningEnv, job: string, signerId?: string, by = 'cli', idbanghi?: string): Promise<{ items: number; records: number }> {
  const { store } = env;
  let items = 0;
  // one record asked again leaves the expired requests (the class's) for a retry of the job
  const expired = idbanghi === undefined ? await store.signingRequests(job, { state: ['expired'], ...(signerId ? { signerId } : {}) }) : [];
  for (const r of expired) items += await store.releaseSigningItems(r.id);
  let records = 0;
  for (const doc of await store.signingDocuments(job, ['returned'])) {
    if (signerId !== undefined && !doc.awaiting.some((a) => a.signerId === signerId)) continue;
    if (idbanghi !== undefined && doc.idbanghi !== idbanghi) continue;
    await store.putSigningDocument({ ...doc, state: 'awaiting', reason: null });
    records++;
  }
  await store.appendAudit({ actor: by, action: 'signing.retry', subject: job, address: env.address ?? 'cli', outcome: 'ok', detail: { items, records, ...(signerId ? { signer: maskPersonalId(signerId) } : {}), ...(idbanghi !== undefined ? { record: idbanghi } : {}) } });
  return { items, records };
}
