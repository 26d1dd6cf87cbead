import { describe, expect, it } from 'vitest';
import { boundHeapGrowth } from './heap.js';

describe('boundHeapGrowth', () => {
  it('applies on the V8 versions known to have the flag (Node 20, 22, 24), and answers the same when called again', () => {
    const major = Number(process.versions.v8.split('.')[0]);
    const known = [11, 12, 13].includes(major);
    expect(boundHeapGrowth()).toBe(known);
    expect(boundHeapGrowth()).toBe(known);
  });
});
