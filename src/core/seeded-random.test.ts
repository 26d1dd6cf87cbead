import { describe, expect, it } from 'vitest';
import { SeededRandom, weightedTable } from './seeded-random.js';

describe('SeededRandom', () => {
  it('draws the mulberry32 sequence of its seed (sample data and seeded tests count on it)', () => {
    const r = new SeededRandom(1);
    expect([r.next(), r.next(), r.next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(new SeededRandom(0).next()).toBe(0.26642920868471265);
    // folded into a uint32 the way ToUint32 does
    expect(new SeededRandom(2 ** 32 + 1).next()).toBe(new SeededRandom(1).next());
    expect(new SeededRandom(1.9).next()).toBe(new SeededRandom(1).next());
  });

  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number): number[] => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('makes no draw for a chance of 0, so turning one fault off keeps the others', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(-1)).toBe(false);
    expect(a.next()).toBe(b.next());
    expect(a.chance(1)).toBe(true);
  });

  it('draws integers within both bounds, each of them', () => {
    const r = new SeededRandom(3);
    const seen = new Set(Array.from({ length: 500 }, () => r.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('picks by weight, never an item of weight 0', () => {
    const r = new SeededRandom(5);
    const table = weightedTable([
      ['a', 1],
      ['never', 0],
      ['b', 3],
    ] as const);
    const picks = Array.from({ length: 4000 }, () => r.weighted(table));
    expect(picks).not.toContain('never');
    const b = picks.filter((p) => p === 'b').length / picks.length;
    expect(b).toBeGreaterThan(0.7);
    expect(b).toBeLessThan(0.8);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
