import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSigningFixture, SIGNING_JOB, type SigningFixture } from './testing/signing-fixture.js';

let f: SigningFixture;

beforeAll(async () => {
  f = await openSigningFixture(8);
}, 120_000);
afterAll(async () => {
  await f?.close();
});

interface RequestView { id: string; role: string; signer: string; state: string; classKey: string; canApprove: boolean; canReturn: boolean; items: number }
const list = async (account: string, query = ''): Promise<RequestView[]> => {
  const res = await f.as(account, { method: 'GET', url: `/api/v1/signing/requests${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { requests: RequestView[] }).requests;
};
const audits = async (action: string) => (await f.store.auditEntries({ action, limit: 100 })).filter((e) => e.action === action);

describe('signer accounts', () => {
  it('need a 12-digit personal id, keep only its keyed hash and masked form; other roles take none', async () => {
    const { addUser } = await import('../../services/users.js');
    await expect(addUser(f.store, 'gv.moi', 'teacher', 'signer-test-password-2')).rejects.toMatchObject({ code: 'PERSONAL_ID_INVALID' });
    await expect(addUser(f.store, 'gv.moi', 'homeroom', 'signer-test-password-2', '12345')).rejects.toMatchObject({ code: 'PERSONAL_ID_INVALID' });
    await expect(addUser(f.store, 'xem', 'viewer', 'signer-test-password-2', f.ids.teacher)).rejects.toMatchObject({ code: 'PERSONAL_ID_NOT_FOR_ROLE' });
    const row = await f.store.getUser('gv.toan');
    expect(row).toMatchObject({ role: 'teacher', personalIdMasked: `********${f.ids.teacher.slice(-4)}` });
    expect(row?.personalIdHash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(f.store.db.prepare("SELECT * FROM users WHERE username = 'gv.toan'").get());
    expect(stored).not.toContain(f.ids.teacher);
    const users = (await f.as('admin', { method: 'GET', url: '/api/v1/users' })).json() as { users: { username: string; role: string }[] };
    expect(users.users).toContainEqual(expect.objectContaining({ username: 'hieutruong', role: 'principal' }));
  });
});

describe('review before signing: the API', () => {
  it('a teacher sees only the requests that name them; operators and admins every request; a viewer none', async () => {
    const mine = await list('gv.toan');
    expect(mine.length).toBeGreaterThan(0);
    const expected = f.firstRequests.filter((r) => r.signerId === f.ids.teacher).map((r) => r.id).sort();
    expect(mine.map((r) => r.id).sort()).toEqual(expected);
    expect(mine.every((r) => r.signer === `********${f.ids.teacher.slice(-4)}` && r.canApprove && r.state === 'review')).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(f.ids.teacher);
    const other = await list('gv.khac');
    expect(other.some((r) => mine.some((m) => m.id === r.id))).toBe(false);
    // before the teachers and the homeroom teacher signed, the principal reviews only the subjects
    // they sign in the place of a teacher who has left (the sample school's GDP teacher)
    expect((await list('hieutruong')).map((r) => r.role)).toEqual(f.firstRequests.filter((r) => r.signerId === f.ids.principal).map(() => 'subject-in-place'));
    expect((await list('hieutruong')).length).toBeGreaterThan(0);
    const all = await list('operator', `?job=${SIGNING_JOB}&state=review`);
    expect(all.map((r) => r.id).sort()).toEqual(f.firstRequests.map((r) => r.id).sort());
    expect(all.every((r) => !r.canApprove && r.canReturn)).toBe(true);
    expect((await list('admin')).length).toBe(f.firstRequests.length);
    const viewer = await f.as('viewer', { method: 'GET', url: '/api/v1/signing/requests' });
    expect(viewer.statusCode).toBe(403);
    expect((await audits('access.denied')).some((e) => e.actor === 'viewer')).toBe(true);
    expect((await f.app.inject({ method: 'GET', url: '/api/v1/signing/requests' })).statusCode).toBe(401);
  });

  it("a signer has a session of their own, is refused the rest of the console, and another signer's request (403, audited)", async () => {
    expect((await f.as('gv.toan', { method: 'GET', url: '/api/v1/session' })).json()).toMatchObject({ username: 'gv.toan', role: 'teacher' });
    expect((await f.as('gv.toan', { method: 'GET', url: '/api/v1/jobs' })).statusCode).toBe(403);
    expect((await f.as('gv.toan', { method: 'POST', url: `/api/v1/jobs/${SIGNING_JOB}/runs` })).statusCode).toBe(403);
    const theirs = f.firstRequests.find((r) => r.signerId === f.ids.otherTeacher);
    const read = await f.as('gv.toan', { method: 'GET', url: `/api/v1/signing/requests/${theirs?.id}` });
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ error: { code: 'SIGNING_REQUEST_NOT_YOURS' } });
    const approve = await f.as('gv.toan', { method: 'POST', url: `/api/v1/signing/requests/${theirs?.id}/approve` });
    expect(approve.statusCode).toBe(403);
    const back = await f.as('gv.toan', { method: 'POST', url: `/api/v1/signing/requests/${theirs?.id}/return`, payload: { reason: 'not mine' } });
    expect(back.statusCode).toBe(403);
    expect((await f.store.getSigningRequest(theirs?.id ?? ''))?.state).toBe('review');
    const denied = (await audits('access.denied')).filter((e) => e.actor === 'gv.toan' && e.subject === theirs?.id);
    expect(denied.length).toBe(3);
  });

  it("shows a subject teacher their subject's scores per pupil, and audits the review", async () => {
    const [mine] = await list('gv.toan');
    const res = await f.as('gv.toan', { method: 'GET', url: `/api/v1/signing/requests/${mine?.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { kind: string; subjectRows: { pupil: string; subjectName: string; diemcanam: string | null }[]; resultRows: unknown[]; summary: unknown };
    expect(detail.kind).toBe('subject');
    expect(detail.subjectRows).toHaveLength(mine?.items ?? -1);
    expect(detail.subjectRows.every((r) => r.pupil.length > 0 && r.subjectName.length > 0)).toBe(true);
    expect(detail.subjectRows.some((r) => r.diemcanam !== null)).toBe(true);
    expect(detail.resultRows).toEqual([]);
    expect(detail.summary).toBeNull();
    // only the part this signature covers: no pupil's personal id, no other subject
    expect(res.body).not.toMatch(/\d{12}/);
    const [entry] = (await audits('signing.review')).filter((e) => e.subject === mine?.id);
    expect(entry).toMatchObject({ actor: 'gv.toan', outcome: 'ok', detail: { job: SIGNING_JOB, role: mine?.role } });
    expect(JSON.stringify(entry?.detail)).not.toMatch(/diem|\d{12}/);
  });

  it('an operator may not approve for a teacher; the teacher approves ("Ký") and the request reaches the signing service', async () => {
    const [mine] = await list('gv.toan');
    const byOperator = await f.as('operator', { method: 'POST', url: `/api/v1/signing/requests/${mine?.id}/approve` });
    expect(byOperator.statusCode).toBe(403);
    const before = f.signing.pending().length;
    const res = await f.as('gv.toan', { method: 'POST', url: `/api/v1/signing/requests/${mine?.id}/approve` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ request: { id: mine?.id, state: 'requested', canApprove: false } });
    const pending = f.signing.pending();
    expect(pending.length).toBe(before + 1);
    expect(pending.at(-1)).toMatchObject({ personalId: f.ids.teacher, hashes: expect.any(Array) });
    expect(pending.at(-1)?.hashes).toHaveLength(mine?.items ?? -1);
    expect((await audits('signing.approve')).filter((e) => e.subject === mine?.id)).toMatchObject([{ actor: 'gv.toan', outcome: 'ok' }]);
    // decided: no second approval
    const again = await f.as('gv.toan', { method: 'POST', url: `/api/v1/signing/requests/${mine?.id}/approve` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'SIGNING_REQUEST_NOT_IN_REVIEW' } });
    expect((await list('gv.toan')).some((r) => r.id === mine?.id)).toBe(false);
  });

  it('a return needs a reason; the signer returns, the records go back with it (audited)', async () => {
    const [theirs] = await list('gv.khac');
    const empty = await f.as('gv.khac', { method: 'POST', url: `/api/v1/signing/requests/${theirs?.id}/return`, payload: { reason: '  ' } });
    expect(empty.statusCode).toBe(400);
    const res = await f.as('gv.khac', { method: 'POST', url: `/api/v1/signing/requests/${theirs?.id}/return`, payload: { reason: 'Điểm kiểm tra cuối kỳ của em thứ hai sai' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ request: { state: 'rejected', reason: 'Điểm kiểm tra cuối kỳ của em thứ hai sai' } });
    expect((await f.store.signingDocuments(SIGNING_JOB, ['returned'])).length).toBeGreaterThan(0);
    expect((await audits('signing.return')).filter((e) => e.subject === theirs?.id)).toMatchObject([{ actor: 'gv.khac', outcome: 'ok' }]);
  });

  it('shows the homeroom teacher results and comments, and the principal a class summary with every anomaly', async () => {
    // the returned request above is asked again, and every teacher's part approved on the phones
    const { retryJobSigning } = await import('../../services/signing.js');
    await retryJobSigning(f.env, SIGNING_JOB);
    const homeroom = await f.advanceTo('homeroom');
    const mine = await list('gv.chunhiem');
    expect(mine.map((r) => r.id)).toContain(homeroom.id);
    const res = await f.as('gv.chunhiem', { method: 'GET', url: `/api/v1/signing/requests/${homeroom.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { kind: string; resultRows: { results: Record<string, unknown> }[] };
    expect(detail.kind).toBe('homeroom');
    expect(detail.resultRows).toHaveLength(homeroom.items);
    expect(detail.resultRows.every((r) => typeof r.results['nxetgvcn'] === 'string' && r.results['renluyencanam'] !== null)).toBe(true);

    const principal = await f.advanceTo('principal');
    const [item] = await f.store.signingItemsOf(principal.id);
    // a warning the mapping kept for one of the class's records (what a run records, e.g. a Thông tư 22 check)
    await f.store.recordWarnings([{ job: SIGNING_JOB, sourceKey: 'k-anomaly', idbanghi: item?.idbanghi ?? null, warnings: [{ field: 'data.bangdiem', code: 'REGULAR_TEST_COUNT_MISMATCH', message: 'TOA: 3 regular tests, 4 expected' }], runId: 'r', updatedAt: new Date().toISOString() }]);
    const sum = await f.as('hieutruong', { method: 'GET', url: `/api/v1/signing/requests/${principal.id}` });
    expect(sum.statusCode, sum.body).toBe(200);
    const s = sum.json() as { kind: string; summary: { pupils: number; subjects: { code: string; scored: number }[]; anomalies: { idbanghi: string; code: string }[] } };
    expect(s.kind).toBe('principal');
    expect(s.summary.pupils).toBe(principal.items);
    expect(s.summary.subjects.length).toBeGreaterThan(0);
    expect(s.summary.anomalies).toContainEqual(expect.objectContaining({ idbanghi: item?.idbanghi, code: 'REGULAR_TEST_COUNT_MISMATCH' }));
    // an admin returns it for the school (not approve)
    expect((await f.as('admin', { method: 'POST', url: `/api/v1/signing/requests/${principal.id}/approve` })).statusCode).toBe(403);
    const back = await f.as('hieutruong', { method: 'POST', url: `/api/v1/signing/requests/${principal.id}/return`, payload: { reason: 'Kiểm tra lại số bài kiểm tra thường xuyên môn Toán' } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ request: { state: 'rejected' } });
  }, 120_000);

  it('the principal returns ONE record of the class: the request stays in review with the others; operators see it returned and ask again', async () => {
    const { retryJobSigning } = await import('../../services/signing.js');
    await retryJobSigning(f.env, SIGNING_JOB);
    const principal = await f.advanceTo('principal', 2);
    const [first, second] = await f.store.signingItemsOf(principal.id);
    const url = (idbanghi: string): string => `/api/v1/signing/requests/${principal.id}/records/${encodeURIComponent(idbanghi)}/return`;
    const payload = { reason: 'Học sinh này chuyển trường giữa năm: kiểm tra lại' };
    expect((await f.as('gv.khac', { method: 'POST', url: url(first!.idbanghi), payload })).statusCode).toBe(403);
    expect((await f.as('viewer', { method: 'POST', url: url(first!.idbanghi), payload })).statusCode).toBe(403);
    const unknown = await f.as('hieutruong', { method: 'POST', url: url('HB-not-here'), payload });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'SIGNING_RECORD_NOT_IN_REQUEST' } });

    const res = await f.as('hieutruong', { method: 'POST', url: url(first!.idbanghi), payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ request: { state: 'review', items: principal.items - 1, canApprove: true } });
    expect((await f.store.signingItemsOf(principal.id)).map((i) => i.idbanghi)).not.toContain(first!.idbanghi);
    expect(await f.store.getSigningDocument(SIGNING_JOB, first!.idbanghi)).toMatchObject({ state: 'returned', reason: payload.reason });
    expect(await f.store.getSigningDocument(SIGNING_JOB, second!.idbanghi)).toMatchObject({ state: 'awaiting' });
    expect((await audits('signing.return')).filter((e) => e.subject === principal.id)).toMatchObject([{ actor: 'hieutruong', outcome: 'ok', detail: { record: first!.idbanghi, items: 1, left: principal.items - 1 } }]);

    // the operators' list of returned records, and the console's "ask again" for one of them
    expect((await f.as('gv.khac', { method: 'GET', url: '/api/v1/signing/returned' })).statusCode).toBe(403);
    const returned = await f.as('operator', { method: 'GET', url: '/api/v1/signing/returned' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect((returned.json() as { records: { idbanghi: string; reason: string; role: string }[] }).records).toContainEqual(expect.objectContaining({ idbanghi: first!.idbanghi, reason: payload.reason, role: 'principal' }));
    expect(returned.body).not.toMatch(/\d{12}/);
    expect((await f.as('hieutruong', { method: 'POST', url: `/api/v1/signing/jobs/${SIGNING_JOB}/retry`, payload: { record: first!.idbanghi } })).statusCode).toBe(403);
    const retry = await f.as('operator', { method: 'POST', url: `/api/v1/signing/jobs/${SIGNING_JOB}/retry`, payload: { record: first!.idbanghi } });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toEqual({ items: 0, records: 1 });
    expect(await f.store.getSigningDocument(SIGNING_JOB, first!.idbanghi)).toMatchObject({ state: 'awaiting', reason: null });
    expect((await audits('signing.retry')).at(0)).toMatchObject({ actor: 'operator', detail: { record: first!.idbanghi, records: 1 } });
  }, 120_000);

  it("shows the principal, for the subject whose teacher has left, that subject's scores per pupil (what the in-place signature covers)", async () => {
    const inPlace = f.firstRequests.find((r) => r.role === 'subject-in-place');
    expect(inPlace?.signerId).toBe(f.ids.principal);
    const res = await f.as('hieutruong', { method: 'GET', url: `/api/v1/signing/requests/${inPlace?.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { kind: string; request: { role: string; description: string }; subjectRows: { subjectName: string }[] };
    expect(detail.kind).toBe('subject');
    expect(detail.request.description).toContain('hiệu trưởng ký thay các môn có giáo viên đã nghỉ');
    expect(new Set(detail.subjectRows.map((r) => r.subjectName))).toEqual(new Set(['Giáo dục địa phương']));
    expect(detail.subjectRows).toHaveLength(inPlace?.items ?? -1);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/signing/requests', '/api/v1/signing/requests/{id}', '/api/v1/signing/requests/{id}/approve', '/api/v1/signing/requests/{id}/return', '/api/v1/signing/requests/{id}/records/{idbanghi}/return', '/api/v1/signing/returned', '/api/v1/signing/jobs/{job}/retry']));
  });
});
