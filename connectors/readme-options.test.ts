import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectShapeOf } from '../src/core/plugin.js';
import { plugins } from '../src/plugins.js';

/**
 * Each connector's README documents its options in tables whose first column is `option`: the
 * connection's options first, then (for a source) the stream options of a job's `source` block.
 * Every documented option must exist in the plugin's schema and every schema option must be
 * documented, so the README and `lienthong validate` cannot drift apart again.
 */

const here = import.meta.dirname;

/** the option names of each `| option | … |` table, in order */
function optionTables(markdown: string): string[][] {
  const tables: string[][] = [];
  let current: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (/^\|\s*option\s*\|/.test(line)) {
      current = [];
      tables.push(current);
      continue;
    }
    if (current === null) continue;
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    if (/^\|\s*-/.test(line)) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) current.push(m[1]!);
  }
  return tables;
}

const keysOf = (schema: Parameters<typeof objectShapeOf>[0]): string[] => Object.keys(objectShapeOf(schema) ?? {}).sort();

describe('connector READMEs document exactly the options their schemas accept', () => {
  const connectors = [...plugins.list('source'), ...plugins.list('destination')];
  it('every built-in connector has a README with an options table', () => {
    expect(connectors.map((p) => p.type).sort()).toEqual(['ministry-hub', 'signed-hocba-folder', 'sql', 'vneid-credential']);
  });
  for (const plugin of connectors) {
    it(`${plugin.type}`, () => {
      const readme = join(here, plugin.type, 'README.md');
      expect(existsSync(readme)).toBe(true);
      const tables = optionTables(readFileSync(readme, 'utf8'));
      expect(tables.length).toBe(plugin.kind === 'source' ? 2 : 1);
      expect([...tables[0]!].sort()).toEqual(keysOf(plugin.config));
      if (plugin.kind === 'source') expect([...tables[1]!].sort()).toEqual(keysOf(plugin.stream));
    });
  }
});
