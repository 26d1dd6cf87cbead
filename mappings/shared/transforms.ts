/**
 * The transforms every mapping's field table uses: each takes one source value and returns the
 * target field(s), or a problem that names the field and never quotes the value.
 */
import type { JsonValue } from '../../src/core/records.js';
import { parseFlexibleDate, splitByPrecision } from '../../src/domain/dates.js';
import { normalizePersonName, normalizeText } from '../../src/domain/names.js';

/** What a transform makes of one source value: target fields, or a problem on its first target. */
export type Outcome = { values: Record<string, JsonValue> } | { code: string; message: string };

export const skip: Outcome = { values: {} };
export const one = (field: string, value: JsonValue): Outcome => ({ values: { [field]: value } });
export const problem = (code: string, message: string): Outcome => ({ code, message });

/** Text as the formats want it (NFC, trimmed, single spaces); numbers as their decimal text; empty → undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = normalizeText(value);
  return t === '' ? undefined : t;
}

/** Free text: NFC, trimmed, single spaces. Empty → field left out (the required check reports it). */
export const text = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  return t === undefined ? skip : one(field, t);
};

/**
 * A person's name: NFC, single spaces, title case. The tone stays where the source put it
 * ("Hoà" stays "Hoà"): only matching uses the canonical tone key, never the display form.
 */
export const personName = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  return t === undefined ? skip : one(field, normalizePersonName(t));
};

/** Digits only (ids): spaces removed; anything else is kept for the structure check to report. */
export const idNumber = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  return t === undefined ? skip : one(field, t.replace(/\s+/g, ''));
};

/** A date of any known precision into a `<day>` / `<month>` / `<year>` trio: exactly one is set, a day is never invented. */
export const partialDate =
  (names: { day: string; month: string; year: string }) =>
  (_field: string, value: unknown): Outcome => {
    if (value === undefined || value === null || value === '') return skip;
    const r = parseFlexibleDate(value);
    if (!r.ok) return problem(r.code, `${names.day}: ${r.message}`);
    return { values: splitByPrecision(r.value, names) };
  };
