/**
 * Golden files: golden/<case>.input.json (a SourceRecord as the signed-hocba-folder source reads a
 * file, its arrival fixed) → golden/<case>.expected.json (the MappingResult). Regenerate after an
 * intended change with UPDATE_GOLDEN=1 and review the diff.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/core/records.js';
import { getMapping } from '../../index.js';
import { documentRecord, hocBaThcsThptSignedMapping } from './mapping.js';

const dir = join(import.meta.dirname, 'golden');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.replace(/\.input\.json$/, ''))
  .sort();
const context = { unitCode: '01001THCS', options: {} };
const input = (name: string): SourceRecord => JSON.parse(readFileSync(join(dir, `${name}.input.json`), 'utf8')) as SourceRecord;

describe('hocba-thcsthpt-signed golden files', () => {
  it('is the mapping a job names hocba-thcsthpt-signed/2025', () => {
    expect(getMapping('hocba-thcsthpt-signed/2025')).toBe(hocBaThcsThptSignedMapping);
    expect(cases.filter((c) => c.startsWith('clean')).length).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => c.startsWith('dirty')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)('%s', (name) => {
    const actual = hocBaThcsThptSignedMapping.map(input(name), context);
    const expectedPath = join(dir, `${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    const expected: unknown = JSON.parse(readFileSync(expectedPath, 'utf8'));
    expect(actual).toEqual(expected);
    expect(actual.ok).toBe(!name.startsWith('dirty'));
    // every problem names the file it is in
    if (!actual.ok) for (const e of actual.errors) expect(e.message).toContain(`${name}.xml`);
  });

  it('sends the document data as the document holds it: nothing normalised, added or left out', () => {
    const record = input('clean-sample');
    const result = hocBaThcsThptSignedMapping.map(record, context);
    expect(result.ok && result.data).toEqual(documentRecord((record.data as { document: Record<string, unknown> }).document));
    expect(result.ok && result.thoigiancapnhat).toBe('2026-06-01T08:02:03');
  });
});
