import { describe, expect, it } from 'vitest';
import { CSV_BOM, CSV_COLUMNS, csvCell, renderReconciliationCsv } from './csv.js';
import { PARTITION_KEYS } from '../types.js';
import { CCCD, CMND, sampleReport } from './testing/sample-report.js';

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

function parseReport(report = sampleReport()): Record<string, string>[] {
  const text = renderReconciliationCsv(report);
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
      'category,idbanghi,source_key,other_source_keys,code,field,message,explanation_vi,explanation_en,ledger_phienban,hub_phienban,count\r\n',
    )).toBe(true);
  });

  it('adds up: the partition totals sum to the source, and each listed category has as many records as its total', () => {
    const rows = parseReport();
    const total = (key: string): number => Number(rows.find((r) => r.category === 'total' && r.code === key)?.count);
    expect(PARTITION_KEYS.reduce((s, k) => s + total(k), 0)).toBe(total('source'));
    expect(total('source')).toBe(1250);
    // every category but `accepted` is listed record by record
    for (const k of PARTITION_KEYS.filter((c) => c !== 'accepted')) {
      const keys = new Set(rows.filter((r) => r.category === k).map((r) => r.source_key));
      expect(keys.size, k).toBe(total(k));
    }
    for (const k of ['missingAtHub', 'mismatched', 'goneFromSource', 'extraAtHub']) {
      expect(rows.filter((r) => r.category === k), k).toHaveLength(total(k));
    }
    expect(new Set(rows.filter((r) => r.category === 'warnings').map((r) => r.source_key)).size).toBe(total('warnings'));
  });

  it('lists the held-back records apart from the ones the hub rejected, duplicates with both source keys', () => {
    const rows = parseReport();
    expect(rows.find((r) => r.category === 'heldBack' && r.idbanghi === 'hb-0010')).toEqual({
      category: 'heldBack',
      idbanghi: 'hb-0010',
      source_key: 'HS010',
      other_source_keys: '',
      code: 'REQUIRED',
      field: 'data.hovaten',
      message: 'Thiếu họ và tên',
      explanation_vi: 'Thiếu trường bắt buộc theo từ điển dữ liệu quốc gia.',
      explanation_en: 'A field the national data dictionary requires is empty.',
      ledger_phienban: '',
      hub_phienban: '',
      count: '',
    });
    const dup = rows.filter((r) => r.code === 'DUPLICATE_IDBANGHI');
    expect(dup.map((r) => [r.category, r.source_key, r.other_source_keys])).toEqual([['heldBack', 'HS020', 'HS021'], ['heldBack', 'HS021', 'HS020']]);
    expect(dup[0]?.message).toContain('trục đang giữ phiên bản 1');
    expect(rows.filter((r) => r.category === 'rejectedByHub').map((r) => r.code)).toEqual(['WEIRD_HUB_CODE']);
  });

  it('lists the checks against the hub with both versions', () => {
    const rows = parseReport();
    expect(rows.find((r) => r.idbanghi === 'hb-0001')).toMatchObject({ category: 'missingAtHub', source_key: 'HS001', code: 'MISSING_AT_HUB', ledger_phienban: '1' });
    expect(rows.find((r) => r.idbanghi === 'hb-0002')).toMatchObject({ category: 'mismatched', code: 'VERSION_MISMATCH', ledger_phienban: '3', hub_phienban: '2' });
    expect(rows.find((r) => r.idbanghi === 'hb-0002')?.message).toBe('Trục giữ phiên bản 2, cũ hơn phiên bản 3 đã được nhận theo sổ cái');
    expect(rows.find((r) => r.idbanghi === 'hb-0003')).toMatchObject({ code: 'CONTENT_MISMATCH', ledger_phienban: '4', hub_phienban: '4', source_key: '' });
    expect(rows.find((r) => r.idbanghi === 'hb-0040')).toMatchObject({ category: 'goneFromSource', source_key: 'HS040', code: 'GONE_FROM_SOURCE', hub_phienban: '1' });
    expect(rows.find((r) => r.idbanghi === 'hb-9999')).toMatchObject({ category: 'extraAtHub', code: 'EXTRA_AT_HUB', ledger_phienban: '', hub_phienban: '3' });
  });

  it('explains every code in both languages, and says so when a code has no explanation', () => {
    const rows = parseReport().filter((r) => r.category !== 'total' && r.code !== '');
    for (const r of rows) {
      expect(r.explanation_vi, r.code).not.toBe('');
      expect(r.explanation_en, r.code).not.toBe('');
    }
    expect(rows.find((r) => r.code === 'WEIRD_HUB_CODE')?.explanation_en).toBe('No explanation for this code yet; see the message of each line.');
  });

  it('quotes commas, quotes and line breaks so the text survives a round trip', () => {
    const rows = parseReport();
    expect(rows.find((r) => r.source_key === 'HS015')?.message).toBe('Dòng 1, "có dấu phẩy"\ndòng 2');
  });

  it('prefixes cells that a spreadsheet would run as a formula', () => {
    const rows = parseReport();
    expect(rows.find((r) => r.idbanghi === 'hb-0013')?.message).toBe(`'=HYPERLINK("http://evil.example","bấm vào")`);
    expect(rows.find((r) => r.idbanghi === 'hb-0012')?.source_key).toBe("'+84901");
    expect(rows.find((r) => r.source_key === 'HS015')?.field).toBe("'@field");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('masks 12- and 9-digit personal ids in messages', () => {
    const text = renderReconciliationCsv(sampleReport());
    expect(text).not.toContain(CCCD);
    expect(text).not.toContain(CMND);
    const rows = parseReport();
    expect(rows.find((r) => r.idbanghi === 'hb-0011')?.message).toBe('Số định danh ********1234 không khớp năm sinh; CMND cũ *****6789 (trục đang giữ phiên bản 2)');
  });

  it('writes only the header and the totals for a report with nothing to list', () => {
    const empty = { ...sampleReport(), issues: [], waiting: [], warnings: [], missingAtHub: [], mismatched: [], goneFromSource: [], extraAtHub: [] };
    const rows = parseReport(empty);
    expect(rows.every((r) => r.category === 'total')).toBe(true);
    expect(rows).toHaveLength(13);
  });
});
