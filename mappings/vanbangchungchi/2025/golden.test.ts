/**
 * Golden files: golden/<case>.input.json (a SourceRecord) → golden/<case>.expected.json (the
 * MappingResult). Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MappingContext } from '../../../src/core/mapping.js';
import type { SourceRecord } from '../../../src/core/records.js';
import { vanBangChungChiMapping } from './mapping.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'golden');

export const GOLDEN_CONTEXT: MappingContext = {
  unitCode: 'DHA',
  options: {
    tentruong: 'Trường Đại học A',
    noicap: 'Hà Nội',
    donvicap: 'Trường Đại học A',
    thongtu: '10/2026',
    paperSignerName: 'Trần Thị Bình',
    paperSignerTitle: 'Hiệu trưởng',
  },
};

const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.replace(/\.input\.json$/, ''))
  .sort();

describe('vanbangchungchi golden files', () => {
  it('has clean and dirty cases', () => {
    expect(cases.filter((c) => c.startsWith('clean')).length).toBeGreaterThanOrEqual(4);
    expect(cases.filter((c) => c.startsWith('dirty')).length).toBeGreaterThanOrEqual(9);
  });

  it.each(cases)('%s', (name) => {
    const input = JSON.parse(readFileSync(join(dir, `${name}.input.json`), 'utf8')) as SourceRecord;
    const actual = vanBangChungChiMapping.map(input, GOLDEN_CONTEXT);
    const expectedPath = join(dir, `${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    const expected: unknown = JSON.parse(readFileSync(expectedPath, 'utf8'));
    expect(actual).toEqual(expected);
    expect(actual.ok).toBe(!name.startsWith('dirty'));
  });
});
