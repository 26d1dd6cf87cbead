import { describe, expect, it } from 'vitest';
import { CSV_BOM, CSV_COLUMNS, csvCell, renderReconciliationCsv } from './csv.js';
import { CCCD, CMND, sampleReport } from './test/sample-report.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. Throws on anything else. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (cell !== '' || wasQuoted) throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      wasQuoted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      wasQuoted = false;
      i += 1;
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      wasQuoted = false;
      i += 2;
    } else if (ch === '\n') {
      throw new Error(`bare LF at ${i}`);
    } else {
      if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
      cell += ch;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length > 0) throw new Error('last line has no CRLF');
  return rows;
}

function parseReport(): Record<string, string>[] {
  const text = renderReconciliationCsv(sampleReport());
  const [header, ...rows] = parseCsv(text.slice(CSV_BOM.length));
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((cells) => {
    expect(cells).toHaveLength(CSV_COLUMNS.length);
    return Object.fromEntries(CSV_COLUMNS.map((c, k) => [c, cells[k] ?? '']));
  });
}

describe('renderReconciliationCsv', () => {
  it('starts with a UTF-8 byte order mark and the header line', () => {
    const text = renderReconciliationCsv(sampleReport());
    const bytes = Buffer.from(text, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1).startsWith(
      'category,idbanghi,source_key,stage,code,field,message,ledger_phienban,hub_phienban\r\n',
    )).toBe(true);
  });

  it('has one line per issue, missing, extra and mismatch, in that order', () => {
    const rows = parseReport();
    const report = sampleReport();
    expect(rows).toHaveLength(
      report.issues.length + report.missingAtHub.length + report.extraAtHub.length + report.mismatched.length,
    );
    expect(rows.map((r) => r.category)).toEqual([
      'issue', 'issue', 'issue', 'issue', 'issue', 'missing', 'extra', 'mismatch', 'mismatch',
    ]);
    expect(rows[0]).toEqual({
      category: 'issue',
      idbanghi: 'hb-0010',
      source_key: 'HS010',
      stage: 'mapping',
      code: 'REQUIRED',
      field: 'data.hovaten',
      message: 'Thiếu họ và tên',
      ledger_phienban: '',
      hub_phienban: '',
    });
    expect(rows[5]).toMatchObject({ idbanghi: 'hb-0001', source_key: 'HS001', code: 'MISSING_AT_HUB' });
    expect(rows[5]?.message).toContain('"sent"');
    expect(rows[6]).toMatchObject({ idbanghi: 'hb-9999', code: 'EXTRA_AT_HUB', ledger_phienban: '', hub_phienban: '3' });
    expect(rows[7]).toMatchObject({ code: 'VERSION_MISMATCH', ledger_phienban: '2', hub_phienban: '5' });
    expect(rows[8]).toMatchObject({ code: 'CONTENT_MISMATCH', ledger_phienban: '4', hub_phienban: '4', source_key: '' });
  });

  it('quotes commas, quotes and line breaks so the text survives a round trip', () => {
    const rows = parseReport();
    expect(rows[4]?.message).toBe('Dòng 1, "có dấu phẩy"\ndòng 2');
  });

  it('prefixes cells that a spreadsheet would run as a formula', () => {
    const rows = parseReport();
    expect(rows[3]?.message).toBe(`'=HYPERLINK("http://evil.example","bấm vào")`);
    expect(rows[2]?.source_key).toBe("'+84901");
    expect(rows[4]?.field).toBe("'@field");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('masks 12- and 9-digit personal ids in messages', () => {
    const text = renderReconciliationCsv(sampleReport());
    expect(text).not.toContain(CCCD);
    expect(text).not.toContain(CMND);
    const rows = parseReport();
    expect(rows[1]?.message).toBe('Số định danh ********1234 không khớp năm sinh; CMND cũ *****6789');
  });

  it('writes one line for a difference the producer also listed as an issue', () => {
    const report = sampleReport();
    report.issues.push(
      { idbanghi: 'hb-0001', stage: 'reconciliation', code: 'MISSING_AT_HUB', message: 'missing' },
      { idbanghi: 'hb-9999', stage: 'reconciliation', code: 'EXTRA_AT_HUB', message: 'extra' },
      { idbanghi: 'hb-0002', stage: 'reconciliation', code: 'VERSION_MISMATCH', message: 'versions' },
      // same record but another stage: a real, separate issue
      { idbanghi: 'hb-0002', stage: 'hub', code: 'VERSION_CONFLICT', message: 'conflict' },
    );
    const rows = parseCsv(renderReconciliationCsv(report).slice(CSV_BOM.length)).slice(1);
    expect(rows.filter((r) => r[1] === 'hb-0001')).toHaveLength(1);
    expect(rows.filter((r) => r[1] === 'hb-9999')).toHaveLength(1);
    expect(rows.filter((r) => r[1] === 'hb-0002').map((r) => r[0])).toEqual(['issue', 'mismatch']);
  });

  it('writes only the header for an empty report', () => {
    const empty = { ...sampleReport(), issues: [], missingAtHub: [], extraAtHub: [], mismatched: [] };
    expect(renderReconciliationCsv(empty)).toBe(`${CSV_BOM}${CSV_COLUMNS.join(',')}\r\n`);
  });
});
