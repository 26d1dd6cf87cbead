import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { toJsonSafeRow } from './json-safe.js';

describe('toJsonSafeRow', () => {
  it('turns dates, bigints, decimals and buffers into JSON-safe values and keeps text as is', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    const row = toJsonSafeRow({
      id: 12n,
      big: 9007199254740993n,
      at: new Date('2024-05-01T03:04:05.000Z'),
      amount: new Decimal('123.4500'),
      blob: Buffer.from('hi'),
      name: `  ${nfd} `,
      none: null,
      gone: undefined,
    });
    expect(row).toEqual({
      id: 12,
      big: '9007199254740993',
      at: '2024-05-01T03:04:05.000Z',
      amount: '123.45',
      blob: 'aGk=',
      name: `  ${nfd} `,
      none: null,
      gone: null,
    });
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });
});
