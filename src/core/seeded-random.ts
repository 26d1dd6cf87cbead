/**
 * The project's one seeded random source: sample data (src/sample), the hub simulator's faults and
 * test data all draw from it. mulberry32 is fast, has a 2^32 period (plenty for these) and, unlike
 * Math.random, gives the same sequence for the same seed on every machine. The state starts at the
 * seed itself (as uint32), as in the published algorithm, so a seed's sequence can be checked
 * against any other mulberry32.
 *
 * Tests count on exact draws (how many dirty rows a seed gives, which requests fail): a change to
 * this file changes them all.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // any number (negative, fractional, NaN) folds into a uint32, as ToUint32 does
    this.state = seed >>> 0;
  }

  /** a float in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** an integer in [min, max], both included */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * true with probability `p`. No draw is made when p ≤ 0, so turning one fault (or one kind of
   * dirt) off keeps the sequence of the others.
   */
  chance(p: number): boolean {
    if (p <= 0) return false;
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** picks by weight; `table` is built once with `weightedTable` */
  weighted<T>(table: WeightedTable<T>): T {
    const r = this.next() * table.total;
    // binary search over the cumulative weights
    let lo = 0;
    let hi = table.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((table.cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo] as T;
  }

  /** a normally distributed number (Box–Muller) */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `count` hex digits */
  hex(count: number): string {
    let out = '';
    while (out.length < count) out += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return out.slice(0, count);
  }

  /** a version-4 UUID made from this sequence (deterministic, unlike crypto.randomUUID) */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

export interface WeightedTable<T> {
  items: T[];
  cumulative: number[];
  total: number;
}

export function weightedTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (weight <= 0) continue;
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}
