/**
 * Vietnamese names and free text: NFC, trimmed, single spaces, title case; and a matching key that
 * ignores case and tone-mark placement ("Hòa"/"Hoà", "Thủy"/"Thuỷ" are the same name).
 * The display form keeps the tone where the source put it: only the key is canonical.
 */

const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']); // huyền, sắc, ngã, hỏi, nặng
const QUALITY_MARKS = new Set(['\u0302', '\u0306', '\u031B']); // circumflex (â ê ô), breve (ă), horn (ơ ư)
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
// Control characters other than ordinary spaces: dropped from text before it is stored.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200B-\u200D\uFEFF]/gu;

// Anything normalizeText would change besides NFC: a control character, whitespace other than a
// single space between words, or whitespace at either end.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNTIDY = /[\u0000-\u001F\u007F-\u009F\u200B-\u200D\uFEFF]|\s\s|^\s|\s$|[^\S ]/u;

/** NFC, control characters removed, trimmed, runs of whitespace collapsed to one space. */
export function normalizeText(input: string): string {
  // the common case (already tidy) costs one test and the NFC check, not three replaces
  if (!UNTIDY.test(input)) return input.normalize('NFC');
  return input.normalize('NFC').replace(CONTROL, ' ').replace(/\s+/gu, ' ').trim();
}

/** Upper-cases the first letter of each word and lower-cases the rest (works on NFC Vietnamese). */
export function titleCaseVietnamese(input: string): string {
  return input
    .split(' ')
    .map((w) => {
      const chars = [...w.toLocaleLowerCase('vi')];
      const first = chars.shift();
      return first === undefined ? '' : first.toLocaleUpperCase('vi') + chars.join('');
    })
    .join(' ');
}

/** A person's name for display: normalizeText then title case. "  nguyễn  VĂN an " → "Nguyễn Văn An". */
export function normalizePersonName(input: string): string {
  return titleCaseVietnamese(normalizeText(input));
}

interface Letter {
  base: string;
  marks: string[];
}

function splitLetters(word: string): Letter[] {
  const letters: Letter[] = [];
  for (const ch of word.normalize('NFD')) {
    const last = letters[letters.length - 1];
    if (/\p{M}/u.test(ch) && last !== undefined) last.marks.push(ch);
    else letters.push({ base: ch, marks: [] });
  }
  return letters;
}

/**
 * Moves the tone mark of one lowercase syllable to its canonical ("new style") position:
 * on the vowel with a quality mark (ơ in ươ); else on the single vowel; else, with a final
 * consonant, on the last vowel; else on the 2nd vowel of oa/oe/uy, the 1st of other pairs, the
 * middle of triples. The u of "qu" and the i of "gi" are consonant letters, not vowels.
 */
export function canonicalToneSyllable(syllable: string): string {
  const letters = splitLetters(syllable);
  let tone: string | undefined;
  for (const l of letters) {
    const t = l.marks.find((m) => TONE_MARKS.has(m));
    if (t !== undefined) {
      tone ??= t;
      l.marks = l.marks.filter((m) => !TONE_MARKS.has(m));
    }
  }
  const rebuild = (): string => letters.map((l) => l.base + l.marks.join('')).join('').normalize('NFC');
  if (tone === undefined) return syllable.normalize('NFC');

  const isVowel = (i: number): boolean => VOWELS.has(letters[i]?.base.toLowerCase() ?? '');
  let start = letters.findIndex((_, i) => isVowel(i));
  if (start < 0) {
    letters[letters.length - 1]?.marks.push(tone);
    return rebuild();
  }
  const b = (i: number): string => letters[i]?.base.toLowerCase() ?? '';
  if (start === 1 && b(0) === 'q' && b(1) === 'u' && isVowel(2)) start = 2;
  if (start === 1 && b(0) === 'g' && b(1) === 'i' && isVowel(2)) start = 2;
  let end = start;
  while (isVowel(end + 1)) end++;
  const hasFinal = end + 1 < letters.length;
  const cluster = letters.slice(start, end + 1);
  const pair = cluster.map((l) => l.base.toLowerCase()).join('');

  let pos: number;
  const marked = cluster.map((l, i) => (l.marks.some((m) => QUALITY_MARKS.has(m)) ? i : -1)).filter((i) => i >= 0);
  if (marked.length > 0) pos = marked[marked.length - 1] ?? 0;
  else if (cluster.length === 1) pos = 0;
  else if (hasFinal) pos = cluster.length - 1;
  else if (cluster.length === 2) pos = ['oa', 'oe', 'uy'].includes(pair) ? 1 : 0;
  else pos = 1;
  letters[start + pos]?.marks.push(tone);
  return rebuild();
}

/**
 * The key two spellings of one name share: NFC, single spaces, lowercase, tone marks at their
 * canonical position. For exact matching; use searchKey for a diacritic-free candidate search.
 */
export function nameMatchKey(input: string): string {
  return normalizeText(input)
    .toLocaleLowerCase('vi')
    .split(' ')
    .map((w) => w.split('-').map(canonicalToneSyllable).join('-'))
    .join(' ');
}

/** Diacritic-free lowercase key ("Đặng Thị Hòa" → "dang thi hoa"): candidate search only. */
export function searchKey(input: string): string {
  return normalizeText(input)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .normalize('NFC');
}

/** Whether two spellings name the same person-name (case, spacing, NFC/NFD, tone placement ignored). */
export function sameName(a: string, b: string): boolean {
  return nameMatchKey(a) === nameMatchKey(b);
}

/**
 * The holder's name as the verify pages show it (certificates and national records): every
 * word's first letter, the given name (the last word) in full, e.g. `Nguyễn Thị Minh Anh` → `N. T. M. Anh`. Enough to match the paper in
 * front of the reader, not enough to find the person.
 */
export function maskHolderName(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length <= 1) return words.map((w) => `${Array.from(w)[0] ?? ''}.`).join('');
  const last = words[words.length - 1] ?? '';
  return [...words.slice(0, -1).map((w) => `${Array.from(w)[0] ?? ''}.`), last].join(' ');
}
