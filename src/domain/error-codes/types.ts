/** A code's meaning in both languages, and what to do about it when that is not obvious. */
export interface CodeExplanation {
  vi: string;
  en: string;
  action?: { vi: string; en: string };
}

/** An entry: the meaning, then optionally what to do (Vietnamese, English). */
export function entry(vi: string, en: string, doVi?: string, doEn?: string): CodeExplanation {
  return doVi === undefined || doEn === undefined ? { vi, en } : { vi, en, action: { vi: doVi, en: doEn } };
}
