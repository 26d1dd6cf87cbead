import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODE_EXPLANATIONS, CODE_FAMILY_EXPLANATIONS, codeActionIn, describeCodeIn, explainCode, explainCodeIn } from './error-codes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Source files a user's codes come from: not tests, test helpers or fixtures. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!['test', 'testing', 'node_modules', 'golden', '__fixtures__'].includes(e.name)) out.push(...sourceFiles(path));
    } else if (/\.ts$/.test(e.name) && !/\.(test|fixture)\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

// `code: 'X'`, `new ConfigError('X', …)` (any *Error or *Problem constructor, with or without a
// leading HTTP status), and a mapping transform's `problem('X', …)`. A code has 3 characters or more:
// `code: 'T'` is a level of a grading table, not an error.
const PATTERNS = [
  /\bcode:\s*['"]([A-Z][A-Z0-9_]{2,})['"]/g,
  /\bnew\s+[A-Z]\w*(?:Error|Problem)\(\s*(?:\d+\s*,\s*)?['"]([A-Z][A-Z0-9_]*)['"]/g,
  /\bproblem\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
];

function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const top of ['mappings', 'src', 'connectors']) {
    for (const file of sourceFiles(join(root, top))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of PATTERNS) {
        for (const m of text.matchAll(pattern)) if (m[1] !== undefined && !found.has(m[1])) found.set(m[1], relative(root, file));
      }
    }
  }
  return found;
}

describe('error-code catalogue', () => {
  it('explains every code the source tree can give a user', () => {
    const found = codesInSource();
    expect(found.size).toBeGreaterThan(100);
    const unexplained = [...found].filter(([code]) => explainCode(code) === undefined).map(([code, file]) => `${code} (${file})`);
    expect(unexplained).toEqual([]);
  });

  it('finds codes in each position it scans (so the scan itself cannot silently stop working)', () => {
    const found = codesInSource();
    for (const code of ['STATUS_UNKNOWN', 'SQL_QUERY_INVALID', 'HUB_FORBIDDEN', 'XEPLOAI_UNKNOWN', 'MALFORMED_BATCH', 'DUPLICATE_IDBANGHI']) {
      expect(found.has(code), code).toBe(true);
    }
  });

  it('explains the codes being added for issue 9', () => {
    for (const code of ['HUB_INSECURE_HTTP', 'HUB_TLS', 'HUB_ANSWER_TOO_LARGE', 'STORE_EMPTIED', 'STORE_REPLACED', 'STORE_DAMAGED',
      'RUN_HELD_INVALID_SHARE', 'COLUMN_MISSING', 'COLUMN_UNKNOWN', 'SQL_STATEMENT_NOT_SELECT', 'SIGNING_KEY_MISSING', 'SCORE_MISSING',
      'INVALID_TEXT_ENCODING', 'DATES_OUT_OF_ORDER', 'AGE_IMPLAUSIBLE', 'STATUS_UNKNOWN', 'STATUS_MISSING', 'GRADUATION_YEAR_MISMATCH',
      'SQL_COLUMN_MISSING', 'DUPLICATE_IDBANGHI']) {
      expect(CODE_EXPLANATIONS[code], code).toBeDefined();
    }
  });

  it('says everything in both languages, in NFC, differently', () => {
    const all = [...Object.entries(CODE_EXPLANATIONS), ...CODE_FAMILY_EXPLANATIONS.map((f) => [`${f.prefix}*`, f.explanation] as const)];
    for (const [code, e] of all) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*\*?$/);
      for (const text of [e.vi, e.en, e.action?.vi ?? 'x', e.action?.en ?? 'x']) {
        expect(text.trim(), code).not.toBe('');
        expect(text, code).toBe(text.normalize('NFC'));
      }
      expect(e.vi, code).not.toBe(e.en);
      if (e.action) expect(e.action.vi, code).not.toBe(e.action.en);
    }
  });

  it('answers by code, by family, and with what to do', () => {
    expect(explainCodeIn('STATUS_UNKNOWN', 'en')).toMatch(/status table/);
    expect(explainCode('CCCD_WHATEVER')).toBe(CODE_FAMILY_EXPLANATIONS.find((f) => f.prefix === 'CCCD_')?.explanation);
    expect(explainCode('SQL_SOMETHING_NEW')?.en).toMatch(/source database/);
    expect(explainCode('NOPE')).toBeUndefined();
    expect(explainCodeIn('NOPE', 'vi')).toBe('NOPE');
    expect(codeActionIn('RUN_HELD_INVALID_SHARE', 'en')).toMatch(/no --full-refresh/);
    expect(codeActionIn('MAX_LENGTH', 'en')).toBeUndefined();
    expect(describeCodeIn('COLUMN_UNKNOWN', 'vi')).toBe(`${explainCodeIn('COLUMN_UNKNOWN', 'vi')} ${codeActionIn('COLUMN_UNKNOWN', 'vi') ?? ''}`);
    expect(describeCodeIn('MAX_LENGTH', 'en')).toBe(explainCodeIn('MAX_LENGTH', 'en'));
  });
});
