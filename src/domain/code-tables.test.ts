import { describe, expect, it } from 'vitest';
import { codeTables } from './code-tables.js';

describe('code tables', () => {
  it('each table says its source and version', () => {
    const tables = codeTables();
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const t of tables) {
      expect(t.source.length, t.name).toBeGreaterThan(10);
      expect(t.version.length, t.name).toBeGreaterThan(0);
    }
    expect(tables.find((t) => t.name.startsWith('provinces (from'))?.entries).toBe(34);
    expect(tables.find((t) => t.name.startsWith('provinces (until'))?.entries).toBe(63);
    expect(tables.find((t) => t.name === 'ethnic groups')?.entries).toBe(54);
  });
});
