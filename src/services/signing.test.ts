import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingStatusLines } from '../cli/format-signing.js';
import { awaitingError } from '../core/transform.js';
import { approveRequest, retryJobSigning, signingStatus } from './signing.js';
import { jobStatuses } from './status.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

const TEACHER = '001082000003';
const HOMEROOM = '001180000002';
let ws: ServiceWorkspace;

beforeAll(async () => {
  ws = await openWorkspace(10, '2026-12-31');
}, 60_000);
afterAll(() => ws.close());

describe('signing status', () => {
  it('shows documents and requests by state, the open requests with masked signers, and who is awaited', async () => {
    const s = ws.store;
    const doc = (idbanghi: string, awaiting: { role: string; signerId: string }[]) => ({ job: 'diplomas', idbanghi, contentHash: 'h', phienban: 1, xml: '<x/>', state: 'awaiting' as const, awaiting, reason: null });
    await s.putSigningDocument(doc('hb1', [{ role: 'subject:TOA', signerId: TEACHER }]));
    await s.putSigningDocument(doc('hb2', [{ role: 'subject:TOA', signerId: TEACHER }, { role: 'homeroom', signerId: HOMEROOM }]));
    await s.putSigningItems('diplomas', 'hb1', [{ signatureId: 'sig-gvbm-TOA', classKey: '01001THCS/9A1/2024-2025', role: 'subject:TOA', signerId: TEACHER, digest: 'd1' }]);
    await s.createSigningRequest({ id: 'req-1', job: 'diplomas', classKey: '01001THCS/9A1/2024-2025', role: 'subject:TOA', signerId: TEACHER, state: 'review', transactionId: null, expiresAt: null, reason: null, description: 'd' }, [{ idbanghi: 'hb1', signatureId: 'sig-gvbm-TOA' }]);
    const created = Date.parse((await s.getSigningRequest('req-1'))!.createdAt);

    const [status] = await signingStatus(ws.env, 'diplomas', new Date(created + 5 * 60_000));
    expect(status).toMatchObject({
      job: 'diplomas',
      documents: { awaiting: 2, complete: 0, returned: 0 },
      requests: { review: 1, requested: 0 },
      open: [{ id: 'req-1', role: 'subject:TOA', signer: '********0003', state: 'review', items: 1, ageMinutes: 5 }],
      awaited: [{ role: 'subject:TOA', signer: '********0003', records: 2 }, { role: 'homeroom', signer: '********0002', records: 1 }],
    });
    const lines = signingStatusLines([status!]).join('\n');
    expect(lines).toContain('documents awaiting 2, complete 0, returned 0');
    expect(lines).toContain('req-1  review    01001THCS/9A1/2024-2025  subject:TOA  ********0003  1 record(s), 5 min old');
    expect(lines).toContain('awaited: subject:TOA (********0003) ×2, homeroom (********0002) ×1');
    expect(lines).not.toContain(TEACHER);
    // every job: only those with anything in signing
    expect((await signingStatus(ws.env)).map((j) => j.job)).toEqual(['diplomas']);
    expect(signingStatusLines([])).toEqual(['no job has records in remote signing']);
  });

  it('approve and retry need a job that signs remotely; an unknown request is named', async () => {
    await expect(retryJobSigning(ws.env, 'diplomas')).rejects.toMatchObject({ code: 'SIGNING_NOT_REMOTE' });
    await expect(approveRequest(ws.env, 'req-1', 'lan')).rejects.toMatchObject({ code: 'SIGNING_NOT_REMOTE' });
    await expect(approveRequest(ws.env, 'nope', 'lan')).rejects.toMatchObject({ code: 'SIGNING_REQUEST_NOT_FOUND' });
  });

  it('lienthong status counts records waiting for signers apart from invalid ones', async () => {
    const [before] = await jobStatuses(ws.env, 'diplomas');
    await ws.store.recordInvalid([{ job: 'diplomas', sourceKey: 'k-wait', idbanghi: 'hb1', errors: [awaitingError([{ role: 'homeroom', maskedId: '********0002' }])], runId: 'r', updatedAt: new Date().toISOString() }]);
    const [after] = await jobStatuses(ws.env, 'diplomas');
    expect(after?.invalid).toBe(before?.invalid);
    expect(after?.awaitingSignature).toBe((before?.awaitingSignature ?? 0) + 1);
    expect(after?.deadlines[0]?.heldBack).toBe((before?.deadlines[0]?.heldBack ?? 0) + 1);
  });
});
