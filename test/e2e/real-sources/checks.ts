/**
 * Assertions the PostgreSQL and MariaDB suites share: what a correct first sync looks like at the
 * hub, a typed cursor, and the state directory holding nothing personal.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { expect } from 'vitest';
import { filesUnder } from './workspace.js';
import type { Graduate } from './graduates.js';
import type { RealHub } from './hub.js';

/** Vietnam wall-clock `YYYY-MM-DDTHH:mm:ss` of an instant: the envelope's thoigiancapnhat */
export function vietnamSeconds(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19);
}

/** Every graduate is at the hub once, at version 1, with what the source holds. */
export function expectAllAtHub(hub: RealHub, graduates: readonly Graduate[]): void {
  for (const g of graduates) {
    const held = hub.record(g.serialNo);
    expect(held, `diploma ${g.id} at the hub`).toBeDefined();
    if (!held) continue;
    expect(held.phienban, `diploma ${g.id}`).toBe(1);
    expect(held.thoigiancapnhat, `diploma ${g.id}: change time in Vietnam time`).toBe(vietnamSeconds(g.changedAtMs));
    if (g.statusText === 'Hủy') {
      expect(held.sukien, `diploma ${g.id}`).toBe('CANCEL');
      continue;
    }
    expect(held.sukien, `diploma ${g.id}`).toBe('NEW');
    expect(held.data, `diploma ${g.id}`).toMatchObject({
      sodinhdanh: g.nationalId,
      hovaten: g.fullName.normalize('NFC'),
      ngaythangnamsinh: g.birthDate,
      ngaycap_ngaythangnam: g.issueDate,
      ngayquyetdinh_ngaythangnam: g.decision.decisionDate,
      namtotnghiep: String(g.graduationYear),
      sohieu: g.serialNo,
      trangthai: '1',
    });
  }
}

/**
 * The saved cursor is the source's highest change time, typed, with every microsecond: a
 * `{ type, value }` whose value names the same instant (or, for a cursor without a zone, the
 * same Vietnam wall-clock time).
 */
export function expectCursorAt(cursor: unknown, type: 'timestamptz' | 'timestamp', g: Graduate): void {
  expect(cursor, 'the cursor is kept with its type').toMatchObject({ type });
  const value = (cursor as { value: string }).value;
  const t = new Date(g.changedAtMs + (type === 'timestamp' ? 7 * 3_600_000 : 0));
  const fraction = `${String(t.getUTCMilliseconds()).padStart(3, '0')}${String(g.changedAtMicros).padStart(3, '0')}`;
  expect(value, 'microseconds are kept').toContain(`.${fraction}`);
  const millis = value.replace(/(\.\d{3})\d+/, '$1');
  if (type === 'timestamptz') expect(Date.parse(millis), `cursor ${value}`).toBe(g.changedAtMs);
  else expect(millis.replace(' ', 'T').slice(0, 23), `cursor ${value}`).toBe(t.toISOString().slice(0, 23));
}

/** The store's files: state.db and its journal, WAL and shared-memory files. */
export function stateFiles(dataDir: string): string[] {
  return filesUnder(dataDir).filter((f) => basename(f).startsWith('state.db'));
}

/**
 * 0700 directory, 0600 state files, and no personal id or name of a sent record in their bytes
 * (soft assertions: a failure reports every one of the three, not the first only).
 */
export function expectNothingPersonalAtRest(dataDir: string, graduates: readonly Graduate[]): void {
  if (process.platform !== 'win32') {
    expect.soft((statSync(dataDir).mode & 0o777).toString(8), 'data directory mode').toBe('700');
  }
  const files = stateFiles(dataDir);
  expect(files.length).toBeGreaterThan(0);
  const contents = files.map((f) => {
    if (process.platform !== 'win32') expect.soft((statSync(f).mode & 0o777).toString(8), `${f} mode`).toBe('600');
    return readFileSync(f);
  });
  const found: string[] = [];
  for (const g of graduates) {
    for (const [what, text] of [
      ['CCCD', g.nationalId],
      ['name', g.fullName.normalize('NFC')],
    ] as const) {
      const needle = Buffer.from(text, 'utf8');
      // a found id is reported by record and kind only: the test's output is a log too
      if (contents.some((c) => c.includes(needle))) found.push(`diploma ${g.id}: ${what}`);
    }
  }
  expect.soft(found, 'personal data found in the state files').toEqual([]);
}
