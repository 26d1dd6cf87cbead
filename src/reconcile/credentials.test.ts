import { describe, expect, it } from 'vitest';
import { TransientError } from '../core/errors.js';
import type { HeldRecord } from '../core/records.js';
import { checkCredentials, credentialLookupOf, type HeldCredential } from './credentials.js';
import { renderReconciliationCsv, renderReconciliationHtml, renderReconciliationJson, renderReconciliationSummary } from './writers/index.js';
import { sampleReport } from './writers/testing/sample-report.js';

const held = (idbanghi: string, contentHash: string, sukien: HeldRecord['sukien'] = 'UPDATE'): HeldRecord => ({ idbanghi, phienban: 2, contentHash, sukien, receiptId: 'r', updatedAt: '2026-06-20T10:00:00' });

describe('the credential column', () => {
  const hub = new Map<string, HeldRecord>([
    ['a', held('a', 'h-a')],
    ['b', held('b', 'h-b2')],
    ['c', held('c', 'h-c', 'CANCEL')],
    ['d', held('d', 'h-d')],
    ['e', held('e', 'h-e', 'CANCEL')],
    ['f', held('f', 'h-f', 'CANCEL')],
  ]);
  const service = new Map<string, HeldCredential[]>([
    ['001099000001', [{ key: 'a', contentHash: 'h-a', revoked: false }, { key: 'b', contentHash: 'h-b1', revoked: false }]],
    ['001099000002', [{ key: 'c', contentHash: 'h-c0', revoked: true }, { key: 'e', contentHash: 'h-e0', revoked: false }]],
  ]);
  const asked: string[] = [];
  const lookup = { target: 'vneid/vneid-vanbang', lookup: async (id: string) => (asked.push(id), service.get(id) ?? []) };
  // [idbanghi, source key, personal id]: g is not at the hub (not asked), a2 has no personal id
  const records = (
    [
      ['a', '1', '001099000001'],
      ['b', '2', '001099000001'],
      ['c', '3', '001099000002'],
      ['d', '4', '001099000003'],
      ['e', '5', '001099000002'],
      ['f', '6', '001099000003'],
      ['g', '7', '001099000004'],
      ['a2', '8', null],
    ] as const
  ).map(([idbanghi, sourceKey, personalId]) => ({ idbanghi, sourceKey, personalId }));

  it('says for each record the hub holds: published, hash differs, revoked, missing, wrong state', async () => {
    const check = await checkCredentials(records, new Map([...hub, ['a2', held('a2', 'h')]]), lookup);
    expect(check.entries.map((e) => [e.idbanghi, e.state])).toEqual([
      ['a', 'published'],
      ['b', 'hashDiffers'],
      ['c', 'revoked'],
      ['d', 'missing'],
      ['e', 'wrongState'],
      // cancelled at the hub before it was ever published: counted, nothing to revoke
      ['f', 'cancelledUnpublished'],
    ]);
    expect(check.counts).toEqual({ published: 1, missing: 1, hashDiffers: 1, revoked: 1, cancelledUnpublished: 1, wrongState: 1 });
    expect(check.withoutPersonalId).toBe(1);
    expect(asked.sort()).toEqual(['001099000001', '001099000002', '001099000003']); // one question per person
    // the report never holds a personal id
    expect(JSON.stringify(check)).not.toMatch(/001099/);
  });

  it('is shown by every writer, in both languages', async () => {
    const report = { ...sampleReport(), credentials: await checkCredentials(records, hub, lookup) };
    expect(JSON.parse(renderReconciliationJson(report)).credentials.counts).toEqual({ published: 1, missing: 1, hashDiffers: 1, revoked: 1, cancelledUnpublished: 1, wrongState: 1 });
    const csv = renderReconciliationCsv(report);
    expect(csv).toContain('credentials:missing,d,4');
    expect(csv).toContain('total,,,,credentials:revoked');
    const html = renderReconciliationHtml(report);
    expect(html).toContain('id="credentials"');
    expect(html).toContain('Missing at VNeID');
    expect(html).toContain('Thiếu trên VNeID');
    expect(renderReconciliationSummary(report, 'en')).toMatch(/VNeID: the credentials of the records the hub holds \(vneid\/vneid-vanbang\):\n {2}Published +1\n {2}Missing at VNeID +1/);
    expect(renderReconciliationSummary(report, 'vi')).toContain('Đã thu hồi');
  });

  it('says the column is incomplete, and why, when the service cannot be asked', async () => {
    const down = { target: 'vneid/v', lookup: async () => Promise.reject(new TransientError('VNEID_NETWORK', 'connect ECONNREFUSED 127.0.0.1:8788')) };
    const check = await checkCredentials(records, hub, down);
    expect(check.unavailable).toEqual({ code: 'VNEID_NETWORK', message: 'connect ECONNREFUSED 127.0.0.1:8788' });
    expect(check.entries).toEqual([]);
    const report = { ...sampleReport(), credentials: check };
    expect(renderReconciliationSummary(report, 'en')).toContain('VNeID COULD NOT BE ASKED, this column is incomplete: VNEID_NETWORK: connect ECONNREFUSED');
    expect(renderReconciliationHtml(report)).toContain('KHÔNG TRA CỨU ĐƯỢC VNeID');
    expect(renderReconciliationCsv(report)).toContain('credentials:unavailable,,,,VNEID_NETWORK');
  });

  it('is asked of the destination that comes after the reconciled one and can be asked per person', () => {
    const queryable = { queryCredentials: async () => ({ credentials: [] }) };
    expect(credentialLookupOf([{ connection: 'vneid', dataset: 'v', after: 'hub', connector: queryable }], { connection: 'hub', dataset: 'vanbangchungchi' })?.target).toBe('vneid/v');
    expect(credentialLookupOf([{ connection: 'vneid', dataset: 'v', after: 'hub/vanbangchungchi', connector: queryable }], { connection: 'hub', dataset: 'vanbangchungchi' })).toBeDefined();
    expect(credentialLookupOf([{ connection: 'vneid', dataset: 'v', after: 'other', connector: queryable }], { connection: 'hub', dataset: 'vanbangchungchi' })).toBeUndefined();
    expect(credentialLookupOf([{ connection: 'kiosk', dataset: 'v', after: 'hub', connector: {} }], { connection: 'hub', dataset: 'vanbangchungchi' })).toBeUndefined();
  });
});
