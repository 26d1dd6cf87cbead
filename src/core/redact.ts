/**
 * Personal ids never reach a log, an error or a report whole: only their last 4 digits.
 * 12-digit CCCD numbers and 9-digit old CMND numbers are masked wherever they appear in text.
 */
export function maskPersonalId(id: string): string {
  const digits = id.trim();
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

const PERSONAL_ID_IN_TEXT = /(?<!\d)(\d{9}|\d{12})(?!\d)/g;

/** `mask` is how each id is shown (the console keeps its first 3 and last 2 digits everywhere it shows one) */
export function maskPersonalIdsInText(text: string, mask: (id: string) => string = maskPersonalId): string {
  return text.replace(PERSONAL_ID_IN_TEXT, (m) => mask(m));
}
