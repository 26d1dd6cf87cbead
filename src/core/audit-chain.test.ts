import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash } from './audit-chain.js';

describe('auditEntryHash', () => {
  const entry = { seq: 1, at: '2026-12-01T01:00:00.000Z', actor: 'lan', action: 'login', subject: null, address: '10.0.0.7', outcome: 'ok', detail: { b: 1, a: 'x' } };
  it('changes with every field and with the previous hash', () => {
    const h = auditEntryHash(AUDIT_GENESIS, entry);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    for (const edited of [{ ...entry, seq: 2 }, { ...entry, actor: 'an' }, { ...entry, outcome: 'failed' }, { ...entry, detail: { b: 2, a: 'x' } }, { ...entry, subject: 'diplomas' }]) {
      expect(auditEntryHash(AUDIT_GENESIS, edited)).not.toBe(h);
    }
    expect(auditEntryHash('1'.repeat(64), entry)).not.toBe(h);
  });
  it('does not depend on the order of keys in the detail (canonical JSON)', () => {
    expect(auditEntryHash(AUDIT_GENESIS, { ...entry, detail: { a: 'x', b: 1 } })).toBe(auditEntryHash(AUDIT_GENESIS, entry));
  });
});
