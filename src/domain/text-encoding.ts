/**
 * Text that was not valid UTF-8 (or UTF-16) at the source. A driver that meets bytes it cannot
 * decode puts U+FFFD (the replacement character) in their place; a string cut in the middle of a
 * surrogate pair keeps half of it. Either way the original letters are lost: "Nguyễn �vãn" must
 * never be sent, and cannot be repaired here. The source's encoding (or the column's data) must be
 * fixed, or a legacy encoding declared (see encoding.ts).
 */

// U+FFFD, a high surrogate not followed by a low one, a low surrogate not preceded by a high one.
const BROKEN = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the text carries a replacement character or a lone surrogate. */
export function hasBrokenEncoding(text: string): boolean {
  return BROKEN.test(text);
}

export const INVALID_TEXT_ENCODING = 'INVALID_TEXT_ENCODING';

/** The reason, in words that never quote the text. */
export function brokenEncodingMessage(field: string, column?: string): string {
  const from = column === undefined ? '' : ` (source column ${column})`;
  return `${field}${from}: text is not valid UTF-8 (a replacement character or a broken character pair); fix the source's text encoding`;
}
