import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../store/store.js';
import { planStaging } from './commit-chunk.js';

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  target: 'hub/x', idbanghi: 'id-1', sourceKey: 'k1', job: 'diplomas', contentHash: 'h1', phienban: 2, status: 'accepted', attempts: 1,
  lastError: null, receiptId: 'r', hubPhienban: null, hubContentHash: null, createdAt: 't', updatedAt: 't', acceptedAt: 't', ...over,
});

describe('planStaging: the run\'s one decision per record (the dry run shows the same)', () => {
  it('stages a new record as it is, a changed one at the next version as an update, a cancellation as such', () => {
    expect(planStaging({ key: 'k1', hash: 'h1', sukien: 'NEW' }, undefined, 'diplomas')).toEqual({ action: 'stage', phienban: 1, sukien: 'NEW' });
    expect(planStaging({ key: 'k1', hash: 'h2', sukien: 'NEW' }, entry({}), 'diplomas')).toEqual({ action: 'stage', phienban: 3, sukien: 'UPDATE' });
    expect(planStaging({ key: 'k1', hash: 'h2', sukien: 'CANCEL' }, entry({}), 'diplomas')).toEqual({ action: 'stage', phienban: 3, sukien: 'CANCEL' });
  });

  it('leaves unchanged content alone, and holds a record whose id another source record of the job holds', () => {
    expect(planStaging({ key: 'k1', hash: 'h1', sukien: 'NEW' }, entry({}), 'diplomas')).toEqual({ action: 'unchanged', phienban: 2 });
    expect(planStaging({ key: 'k9', hash: 'h1', sukien: 'NEW' }, entry({}), 'diplomas')).toEqual({ action: 'duplicate', otherKey: 'k1' });
    // another job's ledger row on the same dataset is not a duplicate of this job's record
    expect(planStaging({ key: 'k9', hash: 'h2', sukien: 'NEW' }, entry({ job: 'other' }), 'diplomas')).toEqual({ action: 'stage', phienban: 3, sukien: 'UPDATE' });
  });
});
