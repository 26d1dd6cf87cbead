/** Reads a golden case: golden/<case>.input.json and, when present, golden/<case>.options.json (job mapping options). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MappingContext } from '../../../../src/core/mapping.js';
import type { SourceRecord } from '../../../../src/core/records.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/** The sample school's code (the unit the golden rows come from). */
export const GOLDEN_UNIT = '0100004201';

export function goldenCase(name: string): { record: SourceRecord; context: MappingContext } {
  const record = JSON.parse(readFileSync(join(dir, `${name}.input.json`), 'utf8')) as SourceRecord;
  const optionsPath = join(dir, `${name}.options.json`);
  const options = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as Record<string, unknown>) : {};
  return { record, context: { unitCode: GOLDEN_UNIT, options } };
}

