/**
 * Golden files: golden/<case>.input.json (a SourceRecord, made by the sample school generator) →
 * golden/<case>.expected.json (the MappingResult); golden/<case>.options.json, when present, adds
 * job mapping options. Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { goldenCase } from './testing/golden-cases.js';
import { hocBaThcsThptMapping } from './mapping.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.replace(/\.input\.json$/, ''))
  .sort();


describe('hocba-thcsthpt golden files', () => {
  it('has clean cases and one dirty case per kind of the sample school', () => {
    expect(cases.filter((c) => c.startsWith('clean')).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.startsWith('dirty')).length).toBeGreaterThanOrEqual(11);
  });

  it.each(cases)('%s', (name) => {
    const { record, context } = goldenCase(name);
    const actual = hocBaThcsThptMapping.map(record, context);
    const expectedPath = join(dir, `${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    const expected: unknown = JSON.parse(readFileSync(expectedPath, 'utf8'));
    expect(actual).toEqual(expected);
    expect(actual.ok).toBe(!name.startsWith('dirty'));
  });
});
