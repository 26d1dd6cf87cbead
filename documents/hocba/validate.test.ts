import { describe, expect, it } from 'vitest';
import { sampleHocBaRecord } from './sample-record.js';
import { validateHocBaXml } from './validate.js';
import { buildHocBaXml } from './xml.js';

describe('validateHocBaXml batching', () => {
  it('validates documents asked for together in one run, each with its own verdict and messages', async () => {
    const good = buildHocBaXml(sampleHocBaRecord());
    const badSchema = good.replace(/<namhoc>[^<]*<\/namhoc>/, '<namhoc>2025/2026</namhoc>');
    const malformed = good.replace('</DuLieuHocBa>', '');
    const results = await Promise.all([validateHocBaXml(good), validateHocBaXml(badSchema), validateHocBaXml(good), validateHocBaXml(malformed)]);
    expect(results.map((r) => r.valid)).toEqual([true, false, true, false]);
    expect(results[0]?.errors).toEqual([]);
    expect(results[1]?.errors.join(' ')).toContain('namhoc');
    expect(results[1]?.errors.join(' ')).not.toContain('2025/2026');
    expect(results[3]?.errors.length).toBeGreaterThan(0);
    expect(results[2]?.errors).toEqual([]);
  });

  it('splits more documents than one run takes into several runs', async () => {
    const good = buildHocBaXml(sampleHocBaRecord());
    const results = await Promise.all(Array.from({ length: 70 }, (_, i) => validateHocBaXml(i === 69 ? good.replace('<HocBa', '<HocBaX').replace('</HocBa>', '</HocBaX>') : good)));
    expect(results.filter((r) => r.valid)).toHaveLength(69);
    expect(results[69]?.valid).toBe(false);
  });
});
