import { describe, expect, it } from 'vitest';
import type { SigningDocument } from '../../src/store/signing-store.js';
import type { StateStore } from '../../src/store/store.js';

/**
 * The remote signing workflow's part of the state store contract (src/store/signing-store.ts),
 * run by storeContract over every implementation: documents, prepared items, requests and their
 * moves between states.
 */
export function signingStoreContract(open: () => Promise<StateStore>): void {
  const J = 'hocba';
  const CLASS = '79000001/6A/2025-2026';
  const TOAN = '079190000011';
  const VAN = '079190000022';
  const doc = (idbanghi: string, over: Partial<Omit<SigningDocument, 'updatedAt'>> = {}): Omit<SigningDocument, 'updatedAt'> => ({
    job: J,
    idbanghi,
    contentHash: `h-${idbanghi}`,
    phienban: 1,
    xml: `<hocba id="${idbanghi}"/>`,
    state: 'awaiting',
    awaiting: [{ role: 'subject:TOAN', signerId: TOAN }],
    reason: null,
    ...over,
  });
  const item = (signatureId: string, role: string, signerId: string, digest = `d-${signatureId}`) => ({ signatureId, classKey: CLASS, role, signerId, digest });

  describe('signing: documents', () => {
    it('keeps one document per job and record, replaced by the next write, counted by state', async () => {
      const s = await open();
      await s.putSigningDocument(doc('hb1'));
      await s.putSigningDocument(doc('hb2'));
      await s.putSigningDocument(doc('hb1', { state: 'returned', reason: 'điểm Toán sai', contentHash: 'h-new', phienban: 2 }));
      await s.putSigningDocument(doc('hb1', { job: 'other' }));
      expect(await s.getSigningDocument(J, 'hb1')).toMatchObject({ state: 'returned', reason: 'điểm Toán sai', contentHash: 'h-new', phienban: 2, awaiting: [{ role: 'subject:TOAN', signerId: TOAN }] });
      expect(await s.getSigningDocument(J, 'nope')).toBeNull();
      expect((await s.signingDocuments(J)).map((d) => d.idbanghi)).toEqual(['hb1', 'hb2']);
      expect((await s.signingDocuments(J, ['awaiting'])).map((d) => d.idbanghi)).toEqual(['hb2']);
      expect(await s.signingDocumentCounts(J)).toEqual({ awaiting: 1, complete: 0, returned: 1 });
    });
  });

  describe('signing: items and requests', () => {
    it('groups prepared items into a request, keeps them out of the next dispatch, writes the values in sent order', async () => {
      const s = await open();
      await s.putSigningItems(J, 'hb2', [item('sig-toan', 'subject:TOAN', TOAN), item('sig-van', 'subject:VAN', VAN)]);
      await s.putSigningItems(J, 'hb1', [item('sig-toan', 'subject:TOAN', TOAN), item('sig-van', 'subject:VAN', VAN)]);
      const open1 = await s.undispatchedSigningItems(J);
      // class, role, signer, record: what one request per signer, class and role needs
      expect(open1.map((i) => `${i.role}/${i.idbanghi}`)).toEqual(['subject:TOAN/hb1', 'subject:TOAN/hb2', 'subject:VAN/hb1', 'subject:VAN/hb2']);
      const toan = open1.filter((i) => i.role === 'subject:TOAN');
      const made = await s.createSigningRequest(
        { id: 'req-1', job: J, classKey: CLASS, role: 'subject:TOAN', signerId: TOAN, state: 'review', transactionId: null, expiresAt: null, reason: null, description: 'Trường A, lớp 6A, Toán, 2 học sinh' },
        toan.map((i) => ({ idbanghi: i.idbanghi, signatureId: i.signatureId })),
      );
      expect(made).toMatchObject({ id: 'req-1', state: 'review', items: 2, decidedAt: null, decidedBy: null });
      expect((await s.undispatchedSigningItems(J)).map((i) => i.role)).toEqual(['subject:VAN', 'subject:VAN']);
      // an item already in a request cannot go out twice
      await expect(s.createSigningRequest({ ...made, id: 'req-2' }, [{ idbanghi: 'hb1', signatureId: 'sig-toan' }])).rejects.toMatchObject({ code: 'SIGNING_ITEM_TAKEN' });
      expect(await s.getSigningRequest('req-2')).toBeNull();

      // approved in review by an operator, then sent, then the service returns the values
      expect(await s.updateSigningRequest('req-1', ['review'], { state: 'requested', decidedBy: 'lan', transactionId: 'tx-9', expiresAt: '2026-06-02T00:00:00.000Z' })).toBe(true);
      expect(await s.updateSigningRequest('req-1', ['review'], { state: 'requested' })).toBe(false);
      expect(await s.getSigningRequest('req-1')).toMatchObject({ state: 'requested', transactionId: 'tx-9', decidedBy: 'lan', expiresAt: '2026-06-02T00:00:00.000Z' });
      expect(await s.updateSigningRequest('req-1', ['requested'], { state: 'approved', values: ['v-hb1', 'v-hb2'] })).toBe(true);
      expect((await s.signingItemsOf('req-1')).map((i) => [i.idbanghi, i.signatureValue])).toEqual([['hb1', 'v-hb1'], ['hb2', 'v-hb2']]);
      expect((await s.signingItemsFor(J, 'hb1')).map((i) => [i.signatureId, i.requestId])).toEqual([['sig-toan', 'req-1'], ['sig-van', null]]);
      expect((await s.getSigningRequest('req-1'))?.decidedAt).not.toBeNull();
      expect((await s.signingRequests(J, { state: ['approved'] })).map((r) => r.id)).toEqual(['req-1']);
      expect(await s.signingRequests(J, { signerId: VAN })).toEqual([]);
    });

    it('a rejected request lets its items go out again; a new digest (the data changed) drops the old request link', async () => {
      const s = await open();
      await s.putSigningItems(J, 'hb1', [item('sig-toan', 'subject:TOAN', TOAN), item('sig-van', 'subject:VAN', VAN)]);
      await s.createSigningRequest({ id: 'r-toan', job: J, classKey: CLASS, role: 'subject:TOAN', signerId: TOAN, state: 'requested', transactionId: 't1', expiresAt: null, reason: null, description: 'd' }, [{ idbanghi: 'hb1', signatureId: 'sig-toan' }]);
      await s.createSigningRequest({ id: 'r-van', job: J, classKey: CLASS, role: 'subject:VAN', signerId: VAN, state: 'requested', transactionId: 't2', expiresAt: null, reason: null, description: 'd' }, [{ idbanghi: 'hb1', signatureId: 'sig-van' }]);
      expect(await s.updateSigningRequest('r-toan', ['requested'], { state: 'rejected', reason: 'sai điểm' })).toBe(true);
      expect(await s.getSigningRequest('r-toan')).toMatchObject({ state: 'rejected', reason: 'sai điểm' });
      expect(await s.releaseSigningItems('r-toan')).toBe(1);
      expect((await s.undispatchedSigningItems(J)).map((i) => i.signatureId)).toEqual(['sig-toan']);
      // re-prepared after a change of the maths score: maths has a new digest, literature keeps its request
      await s.putSigningItems(J, 'hb1', [item('sig-toan', 'subject:TOAN', TOAN, 'd-new'), item('sig-van', 'subject:VAN', VAN)]);
      expect((await s.signingItemsFor(J, 'hb1')).map((i) => [i.signatureId, i.digest, i.requestId])).toEqual([['sig-toan', 'd-new', null], ['sig-van', 'd-sig-van', 'r-van']]);
      await s.putSigningItems(J, 'hb1', [item('sig-van', 'subject:VAN', VAN, 'd-van2')]);
      expect((await s.signingItemsFor(J, 'hb1')).map((i) => [i.signatureId, i.requestId])).toEqual([['sig-van', null]]);
    });

    it('takes one record out of a request in review: the rest renumbered in sent order, the count and description updated', async () => {
      const s = await open();
      for (const hb of ['hb1', 'hb2', 'hb3']) await s.putSigningItems(J, hb, [item('sig-toan', 'subject:TOAN', TOAN, `d-${hb}`)]);
      const items = (await s.undispatchedSigningItems(J)).map((i) => ({ idbanghi: i.idbanghi, signatureId: i.signatureId }));
      await s.createSigningRequest({ id: 'r-one', job: J, classKey: CLASS, role: 'subject:TOAN', signerId: TOAN, state: 'review', transactionId: null, expiresAt: null, reason: null, description: '3 học sinh' }, items);
      expect(await s.removeRecordFromSigningRequest('r-one', 'hb2', '2 học sinh')).toBe(2);
      expect(await s.getSigningRequest('r-one')).toMatchObject({ state: 'review', items: 2, description: '2 học sinh' });
      expect((await s.undispatchedSigningItems(J)).map((i) => i.idbanghi)).toEqual(['hb2']);
      // values written by position land on the records still in the request
      expect(await s.updateSigningRequest('r-one', ['review'], { state: 'requested' })).toBe(true);
      expect(await s.updateSigningRequest('r-one', ['requested'], { state: 'approved', values: ['v1', 'v3'] })).toBe(true);
      expect((await s.signingItemsOf('r-one')).map((i) => [i.idbanghi, i.digest, i.signatureValue])).toEqual([['hb1', 'd-hb1', 'v1'], ['hb3', 'd-hb3', 'v3']]);
      // no longer in review, or a record it does not carry: nothing changes
      expect(await s.removeRecordFromSigningRequest('r-one', 'hb1', 'x')).toBeNull();
      expect(await s.removeRecordFromSigningRequest('nope', 'hb1', 'x')).toBeNull();
      await s.createSigningRequest({ id: 'r-two', job: J, classKey: CLASS, role: 'subject:TOAN', signerId: TOAN, state: 'review', transactionId: null, expiresAt: null, reason: null, description: 'd' }, [{ idbanghi: 'hb2', signatureId: 'sig-toan' }]);
      expect(await s.removeRecordFromSigningRequest('r-two', 'hb9', 'x')).toBeNull();
      expect(await s.getSigningRequest('r-two')).toMatchObject({ items: 1, description: 'd' });
    });
  });
}
