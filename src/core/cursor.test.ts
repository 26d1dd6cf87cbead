import { describe, expect, it } from 'vitest';
import { advanceCursor, compareCursor, parseDuration, parseStoredCursor, resolveLookback, serializeCursor, subtractLookback, type CursorValue } from './cursor.js';

const tz = (value: string): CursorValue => ({ type: 'timestamptz', value });

describe('serializeCursor / parseStoredCursor', () => {
  it('round-trips every type', () => {
    for (const c of [tz('2025-06-30T10:00:00.123456+07:00'), { type: 'integer', value: '9007199254740993' }, { type: 'text', value: '{"x"' }] as CursorValue[]) {
      expect(parseStoredCursor(serializeCursor(c))).toEqual(c);
    }
  });

  it('reads cursors kept before they were typed', () => {
    expect(parseStoredCursor('2000')).toEqual({ type: 'integer', value: '2000' });
    expect(parseStoredCursor('2025-06-30T10:00:00')).toEqual({ type: 'text', value: '2025-06-30T10:00:00' });
    expect(parseStoredCursor('{not json')).toEqual({ type: 'text', value: '{not json' });
  });
});

describe('compareCursor', () => {
  it('orders instants across offsets and to the microsecond', () => {
    expect(compareCursor(tz('2025-06-30T10:00:00.123457+07:00'), tz('2025-06-30T03:00:00.123456Z'))).toBe(1);
    expect(compareCursor(tz('2025-06-30T10:00:00+07'), tz('2025-06-30T03:00:00+00:00'))).toBe(0);
  });
  it('orders wall-clock timestamps with different fraction lengths', () => {
    expect(compareCursor({ type: 'timestamp', value: '2025-06-30T10:00:00.5' }, { type: 'timestamp', value: '2025-06-30T10:00:00.123456' })).toBe(1);
  });
  it('orders integers beyond 2^53 exactly', () => {
    expect(compareCursor({ type: 'integer', value: '9007199254740993' }, { type: 'integer', value: '9007199254740992' })).toBe(1);
  });
});

describe('advanceCursor', () => {
  it('keeps the later value of one type', () => {
    expect(advanceCursor(tz('2025-06-30T10:00:00+07:00'), tz('2025-06-30T02:00:00Z'))).toEqual(tz('2025-06-30T10:00:00+07:00'));
    expect(advanceCursor(tz('2025-06-30T10:00:00+07:00'), tz('2025-06-30T04:00:00Z'))).toEqual(tz('2025-06-30T04:00:00Z'));
    expect(advanceCursor(null, tz('2025-06-30T04:00:00Z'))).toEqual(tz('2025-06-30T04:00:00Z'));
  });
  it('replaces a value of another type (an older store kept text; a date sorts before text by name)', () => {
    expect(advanceCursor({ type: 'text', value: '2025-06-30' }, { type: 'date', value: '2025-06-01' })).toEqual({ type: 'date', value: '2025-06-01' });
  });
});

describe('parseDuration', () => {
  it('reads s, m, h, d and combinations', () => {
    expect(parseDuration('10m')).toBe(600_000_000n);
    expect(parseDuration('2h')).toBe(7_200_000_000n);
    expect(parseDuration('1d')).toBe(86_400_000_000n);
    expect(parseDuration('1h30m')).toBe(5_400_000_000n);
  });
  it('refuses anything else', () => {
    for (const bad of ['10', 'm', '10 minutes', '-5m', '1.5h', '']) expect(parseDuration(bad)).toBeUndefined();
  });
});

describe('resolveLookback', () => {
  it('defaults to 10 minutes for time cursors and none for integers and text', () => {
    expect(resolveLookback(undefined, 'timestamptz')).toEqual({ kind: 'duration', micros: 600_000_000n });
    expect(resolveLookback(undefined, 'date')).toEqual({ kind: 'duration', micros: 600_000_000n });
    expect(resolveLookback(undefined, 'integer')).toEqual({ kind: 'none' });
    expect(resolveLookback(undefined, 'text')).toEqual({ kind: 'none' });
  });
  it('takes 0 as no window for every type', () => {
    for (const t of ['timestamptz', 'timestamp', 'date', 'integer', 'text'] as const) expect(resolveLookback(0, t)).toEqual({ kind: 'none' });
    expect(resolveLookback('0m', 'timestamp')).toEqual({ kind: 'none' });
  });
  it('says why a value does not fit the cursor type', () => {
    expect(resolveLookback(5, 'timestamptz')).toMatch(/duration such as "10m"/);
    expect(resolveLookback('10m', 'integer')).toMatch(/whole number/);
    expect(resolveLookback('10m', 'text')).toMatch(/text cursor/);
    expect(resolveLookback(100, 'integer')).toEqual({ kind: 'integer', steps: 100n });
  });
});

describe('subtractLookback', () => {
  const tenMinutes = { kind: 'duration', micros: 600_000_000n } as const;

  it('keeps the offset, separator and fraction of the cursor', () => {
    expect(subtractLookback(tz('2025-06-30T10:05:00.123456+07:00'), tenMinutes)).toEqual(tz('2025-06-30T09:55:00.123456+07:00'));
    expect(subtractLookback({ type: 'timestamp', value: '2025-06-30 00:05:00' }, tenMinutes)).toEqual({ type: 'timestamp', value: '2025-06-29 23:55:00' });
    expect(subtractLookback(tz('2025-01-01T00:00:00Z'), { kind: 'duration', micros: 86_400_000_000n })).toEqual(tz('2024-12-31T00:00:00Z'));
  });

  it('steps a date back whole days, rounding a shorter window up to one day', () => {
    expect(subtractLookback({ type: 'date', value: '2025-03-01' }, tenMinutes)).toEqual({ type: 'date', value: '2025-02-28' });
    expect(subtractLookback({ type: 'date', value: '2024-03-01' }, { kind: 'duration', micros: 2n * 86_400_000_000n })).toEqual({ type: 'date', value: '2024-02-28' });
  });

  it('steps an integer back by its count, beyond 2^53', () => {
    expect(subtractLookback({ type: 'integer', value: '9007199254740993' }, { kind: 'integer', steps: 2n })).toEqual({ type: 'integer', value: '9007199254740991' });
  });

  it('gives undefined before year 1 and leaves the cursor alone without a window', () => {
    expect(subtractLookback({ type: 'timestamp', value: '0001-01-01T00:05:00' }, tenMinutes)).toBeUndefined();
    expect(subtractLookback({ type: 'text', value: 'x' }, { kind: 'none' })).toEqual({ type: 'text', value: 'x' });
  });

  it('refuses a window that does not fit the type', () => {
    expect(() => subtractLookback({ type: 'text', value: 'x' }, tenMinutes)).toThrow(RangeError);
    expect(() => subtractLookback({ type: 'integer', value: '1' }, tenMinutes)).toThrow(RangeError);
  });
});
