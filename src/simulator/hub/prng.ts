/**
 * mulberry32: a small seeded PRNG. Faults are drawn from it so that a test that sends its requests
 * in a fixed order sees the same faults on every run.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
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

  /** true with probability `p` (no draw is made when p ≤ 0, so turning a fault off keeps the sequence of the others) */
  chance(p: number): boolean {
    if (p <= 0) return false;
    return this.next() < p;
  }

  /** an integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
