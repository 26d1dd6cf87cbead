import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../core/connector.js';
import { assertColumns, checkColumns, closestName, ColumnsMismatchError, editDistance, type ColumnCheckInput } from './column-check.js';

const cols = (...names: string[]): ColumnInfo[] => names.map((name) => ({ name, dbType: 'text' }));

function input(columns: ColumnInfo[], extra: Partial<ColumnCheckInput> = {}): ColumnCheckInput {
  return {
    stream: 'diplomas',
    columns,
    required: ['full_name', 'birth_date', 'serial_no'],
    optional: ['ethnicity'],
    keyFields: ['diploma_id'],
    cursorField: 'updated_at',
    job: 'diplomas',
    mapping: 'vanbangchungchi/2025',
    ...extra,
  };
}

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('birth_dat', 'birth_date')).toBe(1);
    expect(editDistance('brith_date', 'birth_date')).toBe(1);
    expect(editDistance('birth_date', 'birth_date')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestName', () => {
  it('suggests a close name, ignoring case, and nothing when none is close', () => {
    expect(closestName('birth_dat', ['full_name', 'birth_date'])).toBe('birth_date');
    expect(closestName('BIRTH_DATE', ['birth_date'])).toBe('birth_date');
    expect(closestName('ngay_sinh', ['birth_date', 'serial_no'])).toBeUndefined();
  });
});

describe('checkColumns', () => {
  it('finds nothing when the query gives exactly what the job reads, in any case', () => {
    expect(checkColumns(input(cols('DIPLOMA_ID', 'updated_at', 'full_name', 'Birth_Date', 'serial_no')))).toEqual([]);
    expect(checkColumns(input(cols('diploma_id', 'updated_at', 'full_name', 'birth_date', 'serial_no', 'ethnicity')))).toEqual([]);
  });

  it('a misspelled alias is a missing column and an unknown one, each pointing at the other', () => {
    const problems = checkColumns(input(cols('diploma_id', 'updated_at', 'full_name', 'birth_dat', 'serial_no')));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ code: 'COLUMN_MISSING', column: 'birth_date', suggestion: 'birth_dat' });
    expect(problems[1]).toMatchObject({ code: 'COLUMN_UNKNOWN', column: 'birth_dat', suggestion: 'birth_date' });
    expect(problems[1]?.message).toBe('`birth_dat`: nothing reads this column; did you mean `birth_date`?');
  });

  it('a misspelled optional column is unknown with a suggestion, and its absence is not an error', () => {
    const problems = checkColumns(input(cols('diploma_id', 'updated_at', 'full_name', 'birth_date', 'serial_no', 'ethnicty')));
    expect(problems).toEqual([expect.objectContaining({ code: 'COLUMN_UNKNOWN', column: 'ethnicty', suggestion: 'ethnicity' })]);
  });

  it('names a missing key or cursor column and who reads it', () => {
    const problems = checkColumns(input(cols('full_name', 'birth_date', 'serial_no')));
    expect(problems.map((p) => [p.code, p.column])).toEqual([
      ['COLUMN_MISSING', 'diploma_id'],
      ['COLUMN_MISSING', 'updated_at'],
    ]);
    expect(problems[0]?.message).toContain('keyFields reads it');
    expect(problems[1]?.message).toContain('cursorField reads it');
  });

  it('an extra column nothing reads is reported without a suggestion when nothing is close', () => {
    const problems = checkColumns(input(cols('diploma_id', 'updated_at', 'full_name', 'birth_date', 'serial_no', 'internal_note')));
    expect(problems).toEqual([expect.objectContaining({ code: 'COLUMN_UNKNOWN', column: 'internal_note', suggestion: undefined })]);
    expect(problems[0]?.message).toContain('nothing reads this column; remove it');
  });

  it('two result columns of one name (a join without aliases) are reported', () => {
    const problems = checkColumns(input(cols('diploma_id', 'updated_at', 'full_name', 'birth_date', 'serial_no', 'DIPLOMA_ID')));
    expect(problems).toEqual([expect.objectContaining({ code: 'COLUMN_DUPLICATE', column: 'DIPLOMA_ID' })]);
  });
});

describe('assertColumns', () => {
  it('throws one configuration error naming every problem', () => {
    let thrown: unknown;
    try {
      assertColumns(input(cols('diploma_id', 'updated_at', 'full_nam', 'birth_dat')));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ColumnsMismatchError);
    const e = thrown as ColumnsMismatchError;
    expect(e.kind).toBe('config');
    expect(e.code).toBe('COLUMNS_MISMATCH');
    expect(e.problems.map((p) => `${p.code} ${p.column}`)).toEqual(['COLUMN_MISSING full_name', 'COLUMN_MISSING birth_date', 'COLUMN_MISSING serial_no', 'COLUMN_UNKNOWN full_nam', 'COLUMN_UNKNOWN birth_dat']);
    expect(e.message).toContain('job diplomas, stream diplomas');
    expect(e.message).toContain('`birth_dat`: nothing reads this column; did you mean `birth_date`?');
  });

  it('does not throw when the columns agree', () => {
    expect(() => assertColumns(input(cols('diploma_id', 'updated_at', 'full_name', 'birth_date', 'serial_no')))).not.toThrow();
  });
});
