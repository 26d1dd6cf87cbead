import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The pages' texts: both catalogues hold the same keys, no text is empty, and every key the
 * pages ask for by name is in them (keys built from a value, like `status.${s}`, are checked
 * through their known values below).
 */
const web = fileURLToPath(new URL('../../web/', import.meta.url));
const vi = JSON.parse(readFileSync(join(web, 'i18n', 'vi.json'), 'utf8')) as Record<string, string>;
const en = JSON.parse(readFileSync(join(web, 'i18n', 'en.json'), 'utf8')) as Record<string, string>;

function sources(): string[] {
  const files = [...readdirSync(web).filter((f) => f.endsWith('.js')), ...readdirSync(join(web, 'pages')).map((f) => `pages/${f}`)];
  return files.map((f) => readFileSync(join(web, f), 'utf8'));
}

describe('the console texts', () => {
  it('has the same keys in Vietnamese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [key, text] of [...Object.entries(vi), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
  });

  it('has every key the pages name, and the same placeholders in both languages', () => {
    const named = new Set<string>();
    for (const text of sources()) {
      for (const m of text.matchAll(/\b(?:t|tOr|pageHeading\(main,)\s*\(?\s*'([a-zA-Z][\w.]*)'/g)) named.add(m[1] as string);
      for (const m of text.matchAll(/nav: '([\w.]+)'/g)) named.add(m[1] as string);
    }
    expect(named.size).toBeGreaterThan(100);
    expect([...named].filter((k) => !(k in vi))).toEqual([]);
    const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
    for (const key of Object.keys(vi)) expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(vi[key] ?? ''));
  });

  it('has a text for every value a key is built from', () => {
    const families: Record<string, string[]> = {
      status: ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'],
      outcome: ['running', 'succeeded', 'partial', 'failed', 'interrupted', 'none'],
      role: ['viewer', 'operator', 'admin', 'teacher', 'homeroom', 'principal'],
      'signing.role': ['homeroom', 'principal'],
      'signing.state': ['review', 'requested', 'approved', 'completed', 'rejected', 'expired'],
      'signing.covers': ['subject', 'homeroom', 'principal'],
      'signing.result': ['hocky1', 'hocky2', 'canam', 'renluyenhocky1', 'renluyenhocky2', 'renluyencanam', 'renluyenlai', 'kqhoctaplai', 'sobuoinghi', 'duoclenlop', 'ndungduoclenlop', 'ndunghoanthanh', 'kquathamgiacuocthi', 'ndungkquarenluyen', 'ndungkhenthuong', 'nxetgvcn'],
      'deadletters.status': ['dead', 'conflict'],
      'connections.kind': ['source', 'destination'],
      'connections.outcome': ['ok', 'config', 'down'],
      'audit.outcomes': ['ok', 'denied', 'failed'],
      'ledger.matchedBy': ['sourceKey', 'idbanghi', 'personalId'],
      category: ['heldBack', 'rejectedByHub', 'dead', 'conflicts', 'warnings', 'pending', 'unsent'],
      count: ['read', 'mapped', 'invalid', 'unchanged', 'staged', 'sent', 'accepted', 'conflicts', 'rejected', 'dead', 'retried', 'deferred', 'warnings'],
      total: ['source', 'accepted', 'pending', 'unsent', 'rejectedByHub', 'dead', 'conflicts', 'heldBack', 'missingAtHub', 'mismatched', 'goneFromSource', 'extraAtHub'],
    };
    const missing = Object.entries(families).flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((k) => !(k in vi));
    expect(missing).toEqual([]);
  });
});
