/**
 * Legacy Vietnamese text decoding (docs/domain/encodings.md).
 *
 * Old school and university databases hold names in TCVN3 (ABC), VNI-Windows, VIQR, VISCII or
 * Windows-1258. A source declares its encoding in configuration; this module turns what the driver
 * handed us into NFC Unicode:
 *
 * - raw bytes (Buffer / Uint8Array): decoded with iconv-lite where it has a table (`tcvn`,
 *   `viscii`, `windows-1258`), with the VNI table below for VNI, and as ASCII + VIQR rules for VIQR;
 * - already mis-decoded strings (a driver read the legacy bytes as CP1252 / Latin-1): each character
 *   is turned back into the byte it came from and decoded as above.
 *
 * Why not `vietnamese-conversion` for VNI and TCVN3: its converter replaces characters one table
 * entry at a time, so VNI "ö" (ư) is replaced before "öù" (ứ) and "Tröôøng" comes out as
 * "Trươøng"; its VNI table also maps ỷ/ỹ to "ë"/"ì" (VNI-Windows spells them "yû"/"yõ"). For TCVN3
 * iconv-lite's `tcvn` table (TCVN 5712, a superset of the ABC/VN3 font encoding) is exact. The
 * library is used for VIQR, where its pattern-based converter is correct. The tests pin both facts.
 *
 * Every function returns NFC.
 */
import iconv from 'iconv-lite';
import { toUnicode } from 'vietnamese-conversion';
import { ConfigError } from '../core/errors.js';

export const SOURCE_ENCODINGS = ['unicode', 'tcvn3', 'vni', 'viqr', 'windows-1258', 'viscii'] as const;
export type SourceEncoding = (typeof SOURCE_ENCODINGS)[number];

export function isSourceEncoding(value: unknown): value is SourceEncoding {
  return typeof value === 'string' && (SOURCE_ENCODINGS as readonly string[]).includes(value);
}

function assertSourceEncoding(encoding: string): asserts encoding is SourceEncoding {
  if (!isSourceEncoding(encoding)) {
    throw new ConfigError('UNKNOWN_SOURCE_ENCODING', `unknown source text encoding "${encoding}"; expected one of ${SOURCE_ENCODINGS.join(', ')}`, {
      field: 'encoding',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Vietnamese alphabet

const TONES = ['', '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'] as const; // none, sắc, huyền, hỏi, ngã, nặng
type ToneIndex = 0 | 1 | 2 | 3 | 4 | 5;
const TONE_INDEXES: readonly ToneIndex[] = [0, 1, 2, 3, 4, 5];
const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'] as const;

function withTone(base: string, tone: ToneIndex): string {
  return (base + TONES[tone]).normalize('NFC');
}

/** Every letter that may appear in correctly spelled Vietnamese (plus the ASCII letters f, j, w, z used in loanwords and ethnic-minority names). */
const VIETNAMESE_LETTERS: ReadonlySet<string> = (() => {
  const letters = new Set<string>();
  for (let c = 0x61; c <= 0x7a; c++) letters.add(String.fromCharCode(c));
  letters.add('đ');
  for (const vowel of VOWELS) for (const tone of TONE_INDEXES) letters.add(withTone(vowel, tone));
  for (const letter of [...letters]) letters.add(letter.toUpperCase());
  return letters;
})();

export function isVietnameseLetter(ch: string): boolean {
  return VIETNAMESE_LETTERS.has(ch);
}

// ---------------------------------------------------------------------------------------------
// VNI-Windows table. VNI writes a letter as an ASCII base plus one modifier byte, except for a few
// single-byte letters (the i-vowels, ỵ, ơ, ư, đ). Modifier bytes follow the base letter's case.

interface VniModifiers {
  /** tone bytes after a, e, o, u, y, ơ, ư: sắc, huyền, hỏi, ngã, nặng */
  tone: readonly [string, string, string, string, string];
  /** circumflex (â ê ô) without and with each tone */
  circumflex: readonly [string, string, string, string, string, string];
  /** breve (ă) without and with each tone */
  breve: readonly [string, string, string, string, string, string];
  /** single-byte i without and with each tone */
  i: readonly [string, string, string, string, string, string];
  yDot: string;
  horn: { o: string; u: string };
  dStroke: string;
}

const VNI_LOWER: VniModifiers = {
  tone: ['ù', 'ø', 'û', 'õ', 'ï'],
  circumflex: ['â', 'á', 'à', 'å', 'ã', 'ä'],
  breve: ['ê', 'é', 'è', 'ú', 'ü', 'ë'],
  i: ['i', 'í', 'ì', 'æ', 'ó', 'ò'],
  yDot: 'î',
  horn: { o: 'ô', u: 'ö' },
  dStroke: 'ñ',
};

const VNI_UPPER: VniModifiers = {
  tone: ['Ù', 'Ø', 'Û', 'Õ', 'Ï'],
  circumflex: ['Â', 'Á', 'À', 'Å', 'Ã', 'Ä'],
  breve: ['Ê', 'É', 'È', 'Ú', 'Ü', 'Ë'],
  i: ['I', 'Í', 'Ì', 'Æ', 'Ó', 'Ò'],
  yDot: 'Î',
  horn: { o: 'Ô', u: 'Ö' },
  dStroke: 'Ñ',
};

/** Unicode letter → VNI spelling, for every Vietnamese letter that VNI spells differently. */
function buildVniTable(m: VniModifiers, upper: boolean): Map<string, string> {
  const table = new Map<string, string>();
  const cased = (s: string): string => (upper ? s.toUpperCase() : s);
  const toned = (base: string, tone: ToneIndex): string => cased(withTone(base, tone));
  for (const tone of TONE_INDEXES) {
    const toneByte = tone === 0 ? '' : m.tone[tone - 1];
    for (const base of ['a', 'e', 'o', 'u', 'y']) {
      if (base === 'y' && tone === 5) table.set(toned('y', 5), m.yDot);
      else if (tone !== 0) table.set(toned(base, tone), cased(base) + toneByte);
    }
    for (const [letter, base] of [['â', 'a'], ['ê', 'e'], ['ô', 'o']] as const) table.set(toned(letter, tone), cased(base) + m.circumflex[tone]);
    table.set(toned('ă', tone), cased('a') + m.breve[tone]);
    table.set(toned('ơ', tone), m.horn.o + toneByte);
    table.set(toned('ư', tone), m.horn.u + toneByte);
    if (tone !== 0) table.set(toned('i', tone), m.i[tone]);
  }
  table.set(cased('đ'), m.dStroke);
  return table;
}

/** Unicode → VNI for all Vietnamese letters (exported for tests and for fixtures). */
export const UNICODE_TO_VNI: ReadonlyMap<string, string> = new Map([...buildVniTable(VNI_LOWER, false), ...buildVniTable(VNI_UPPER, true)]);

const VNI_TO_UNICODE: ReadonlyMap<string, string> = new Map([...UNICODE_TO_VNI].map(([uni, vni]) => [vni, uni]));

/** Encodes Unicode text as VNI-Windows characters (for fixtures and round-trip checks). */
export function encodeVni(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += UNICODE_TO_VNI.get(ch) ?? ch;
  return out;
}

/** Decodes a string of VNI-Windows characters (as a CP1252/Latin-1 reader sees them), longest match first. */
function decodeVniChars(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const pair = text.slice(i, i + 2);
    const two = pair.length === 2 ? VNI_TO_UNICODE.get(pair) : undefined;
    if (two !== undefined) {
      out += two;
      i += 2;
      continue;
    }
    const ch = text[i] ?? '';
    out += VNI_TO_UNICODE.get(ch) ?? ch;
    i += 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Characters back to the bytes a CP1252 / Latin-1 reader made them from.

const CP1252_HIGH: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (let byte = 0x80; byte <= 0x9f; byte++) {
    const ch = iconv.decode(Buffer.from([byte]), 'win1252');
    if (ch !== '\ufffd') map.set(ch, byte);
  }
  return map;
})();

/**
 * The byte a CP1252 or Latin-1 decoder turned into `ch`, or undefined when `ch` cannot have come
 * from a single-byte reading (it is already real Unicode and is passed through as is).
 */
function legacyByteOf(ch: string): number | undefined {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return code;
  return CP1252_HIGH.get(ch);
}

/** Re-decodes each maximal run of byte-like characters with iconv-lite; other characters pass through. */
function redecodeRuns(text: string, iconvName: string): string {
  let out = '';
  let run: number[] = [];
  const flush = (): void => {
    if (run.length > 0) out += iconv.decode(Buffer.from(run), iconvName);
    run = [];
  };
  for (const ch of text) {
    const byte = legacyByteOf(ch);
    if (byte === undefined) {
      flush();
      out += ch;
    } else run.push(byte);
  }
  flush();
  return out;
}

function repairUtf8ReadAsCp1252(text: string): string | undefined {
  const bytes: number[] = [];
  for (const ch of text) {
    const byte = legacyByteOf(ch);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes)).normalize('NFC');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Public decoding API

/**
 * Decodes raw bytes read from a source declared with `encoding`. Result is NFC.
 * - `unicode`: UTF-8 (a BOM is dropped; invalid sequences become U+FFFD, which
 *   detectLikelyMojibake reports).
 * - `tcvn3`: iconv-lite `tcvn`; `viscii`: iconv-lite `viscii`; `windows-1258`: iconv-lite then NFC
 *   (CP1258 stores tones as combining marks).
 * - `vni`: bytes read as CP1252, then the VNI table (iconv-lite has no VNI).
 * - `viqr`: ASCII with VIQR mnemonics, converted by `vietnamese-conversion`.
 */
export function decodeBytes(bytes: Uint8Array, encoding: SourceEncoding): string {
  assertSourceEncoding(encoding);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (encoding) {
    case 'unicode':
      return iconv.decode(buffer, 'utf8').normalize('NFC');
    case 'tcvn3':
      return iconv.decode(buffer, 'tcvn').normalize('NFC');
    case 'viscii':
      return iconv.decode(buffer, 'viscii').normalize('NFC');
    case 'windows-1258':
      return iconv.decode(buffer, 'windows-1258').normalize('NFC');
    case 'vni':
      return decodeVniChars(iconv.decode(buffer, 'win1252')).normalize('NFC');
    case 'viqr':
      return viqrToUnicode(iconv.decode(buffer, 'utf8'));
  }
}

function viqrToUnicode(text: string): string {
  return text.length === 0 ? '' : toUnicode(text, 'viqr').normalize('NFC');
}

/**
 * Repairs a string that a driver produced by reading legacy bytes as CP1252 or Latin-1 (e.g.
 * "Nguyeãn Vaên Hoøa" from a VNI column, "NguyÔn V¨n Hoµ" from a TCVN3 column). Characters that
 * cannot come from a single-byte reading (real Unicode already present) pass through unchanged.
 * For `unicode` the text is only normalised to NFC. Result is NFC.
 */
export function repairMisdecoded(text: string, encoding: SourceEncoding): string {
  assertSourceEncoding(encoding);
  switch (encoding) {
    case 'unicode':
      return text.normalize('NFC');
    case 'tcvn3':
      return redecodeRuns(text, 'tcvn').normalize('NFC');
    case 'viscii':
      return redecodeRuns(text, 'viscii').normalize('NFC');
    case 'windows-1258':
      return redecodeRuns(text, 'windows-1258').normalize('NFC');
    case 'vni':
      return decodeVniChars(text).normalize('NFC');
    case 'viqr':
      return viqrToUnicode(text);
  }
}

/** Decodes a value as a source driver returned it: bytes are decoded, strings are repaired. */
export function decodeSourceText(value: string | Uint8Array, encoding: SourceEncoding): string {
  return typeof value === 'string' ? repairMisdecoded(value, encoding) : decodeBytes(value, encoding);
}

// ---------------------------------------------------------------------------------------------
// Mojibake detection for sources declared Unicode

export type MojibakeReason =
  | 'replacement-character'
  | 'control-character'
  | 'unnormalised-combining-marks'
  | 'non-vietnamese-letter'
  | 'legacy-symbol-in-word'
  | 'vni-modifier-pair'
  | 'tone-byte-after-vowel'
  | 'utf8-byte-sequence'
  | 'uppercase-inside-word';

export type LikelyEncoding = Exclude<SourceEncoding, 'unicode' | 'viqr'> | 'utf8-read-as-cp1252';

export interface MojibakeVerdict {
  suspicious: boolean;
  /** the first reason found, in the order of the MojibakeReason list */
  reason?: MojibakeReason;
  /** the legacy encoding whose repair removes the most signs of mojibake, when one does */
  likelyEncoding?: LikelyEncoding;
}

/** Pairs that VNI uses and correct Vietnamese also uses ("Hoà" vs VNI "Hồ"): no evidence either way. */
const AMBIGUOUS_VNI_PAIRS: ReadonlySet<string> = new Set(['oà', 'oá', 'oã']);
const VNI_BASES: ReadonlySet<string> = new Set(['a', 'e', 'o', 'u', 'y', 'ô', 'ö']);

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/** Latin-1 and CP1252 symbols that legacy letters decode to ("V¨n", "Hoµ", "H­¬ng", "Ng÷c"). */
const LEGACY_SYMBOL = /[\u00a1-\u00bf\u00d7\u00f7\u201a\u201e\u2020\u2021\u02c6\u2030\u2039\u203a\u02dc\u2122\u20ac]/u;

/**
 * Windows-1258 tone bytes read as Latin-1 become ì (acute) and ò (dot below) right after the vowel
 * they belong to ("Phaòm", "Tuâìn", and "Ýìng" where Ư itself became Ý). Correct Vietnamese never
 * has ì/ò straight after a vowel, except the old spelling "quì"/"quò".
 */
const VOWEL_SET: ReadonlySet<string> = new Set(
  [...VIETNAMESE_LETTERS].filter((ch) => /[aeiouy]/u.test(ch.normalize('NFD').toLowerCase().charAt(0))).map((ch) => ch.toLowerCase()),
);

function signalsOf(text: string): MojibakeReason[] {
  const found: MojibakeReason[] = [];
  if (text.includes('\ufffd')) found.push('replacement-character');
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u.test(text)) found.push('control-character');
  if (/\p{M}/u.test(text) && text.normalize('NFC') !== text) found.push('unnormalised-combining-marks');
  // Text that is valid UTF-8 when turned back into bytes was UTF-8 read as CP1252 ("Nguyá»…n"):
  // random Latin-1 text is practically never valid multi-byte UTF-8.
  const asUtf8 = /[^\p{ASCII}]/u.test(text) ? repairUtf8ReadAsCp1252(text) : undefined;
  if (asUtf8 !== undefined && asUtf8 !== text.normalize('NFC')) found.push('utf8-byte-sequence');
  const chars = [...text];
  chars.forEach((ch, index) => {
    const prev = chars[index - 1];
    const next = chars[index + 1];
    const code = ch.codePointAt(0) ?? 0;
    if (isLetter(ch)) {
      if (!VIETNAMESE_LETTERS.has(ch)) found.push('non-vietnamese-letter');
      else if (code > 0x7f && /\p{Lu}/u.test(ch) && prev !== undefined && /\p{Ll}/u.test(prev)) found.push('uppercase-inside-word');
      if (prev !== undefined && VNI_BASES.has(prev.toLowerCase()) && VNI_TO_UNICODE.has(prev + ch) && !AMBIGUOUS_VNI_PAIRS.has((prev + ch).toLowerCase())) {
        found.push('vni-modifier-pair');
      }
      if ((ch === 'ì' || ch === 'ò') && prev !== undefined && VOWEL_SET.has(prev.toLowerCase())) {
        const quSpelling = prev.toLowerCase() === 'u' && chars[index - 2]?.toLowerCase() === 'q';
        if (!quSpelling) found.push('tone-byte-after-vowel');
      }
    } else if (LEGACY_SYMBOL.test(ch)) {
      // Latin-1 symbols that TCVN3/VISCII letters decode to ("V¨n", "Hoµ", "H­¬ng"). Count them only
      // inside a word; an opening « or closing » next to a word, and °, are ordinary punctuation.
      const inWord = ch === '«' ? isLetter(prev) : ch === '»' ? isLetter(next) : ch === '°' ? false : isLetter(prev) || isLetter(next);
      if (inWord) found.push('legacy-symbol-in-word');
    }
  });
  return found;
}

const REASON_ORDER: readonly MojibakeReason[] = [
  'replacement-character',
  'control-character',
  'unnormalised-combining-marks',
  'non-vietnamese-letter',
  'legacy-symbol-in-word',
  'utf8-byte-sequence',
  'vni-modifier-pair',
  'tone-byte-after-vowel',
  'uppercase-inside-word',
];

// UTF-8 first: legacy text that happens to re-decode as valid multi-byte UTF-8 is practically impossible.
const CANDIDATES: readonly LikelyEncoding[] = ['utf8-read-as-cp1252', 'vni', 'tcvn3', 'windows-1258', 'viscii'];

const VOWEL_LETTERS = [...VOWEL_SET].join('');
/** A rough Vietnamese syllable: onset, one to three vowels, coda (lowercase). */
const SYLLABLE = new RegExp(`^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[${VOWEL_LETTERS}]{1,3}(?:ch|ng|nh|[cmnpt])?$`, 'u');
const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/gu;

/** Words that are not well-formed Vietnamese syllables (more than one tone, impossible letter order). */
function implausibleWords(text: string): number {
  let count = 0;
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const tones = word.normalize('NFD').match(TONE_MARK)?.length ?? 0;
    if (tones > 1 || !SYLLABLE.test(word)) count += 1;
  }
  return count;
}

function repairAs(text: string, candidate: LikelyEncoding): string | undefined {
  return candidate === 'utf8-read-as-cp1252' ? repairUtf8ReadAsCp1252(text) : repairMisdecoded(text, candidate);
}

/**
 * Heuristic check of text from a source declared Unicode: does it look like legacy bytes read with
 * the wrong decoder? Tuned on correctly spelled Vietnamese names (no false positives on the test
 * list) and on their VNI, TCVN3, VISCII, Windows-1258 and double-encoded UTF-8 mis-decodings.
 * Limits: a word whose mis-decoding happens to be correct Vietnamese (VNI "Hoà" for "Hồ", TCVN3
 * "Vâ" for "Võ") cannot be caught on its own; full names almost always contain a tell-tale word.
 * `likelyEncoding` is reliable for VNI, TCVN3 and double-encoded UTF-8; for VISCII and Windows-1258
 * it is a best guess (their Latin-1 readings often repair just as cleanly as TCVN3). Use it to
 * suggest a configuration fix to an operator, never to repair data automatically.
 */
export function detectLikelyMojibake(text: string): MojibakeVerdict {
  const signals = signalsOf(text);
  if (signals.length === 0) return { suspicious: false };
  const reason = REASON_ORDER.find((r) => signals.includes(r));
  const verdict: MojibakeVerdict = { suspicious: true };
  if (reason !== undefined) verdict.reason = reason;

  if (reason === 'unnormalised-combining-marks' && signals.every((s) => s === reason)) {
    verdict.likelyEncoding = 'windows-1258';
    return verdict;
  }
  if (reason === 'replacement-character') return verdict; // the bytes are lost; nothing to repair
  // Try each legacy reading; the best is the one that leaves the fewest signs of mojibake and then
  // the fewest words that are not Vietnamese syllables.
  let best: { encoding: LikelyEncoding; score: number; implausible: number } | undefined;
  for (const candidate of CANDIDATES) {
    const repaired = repairAs(text, candidate);
    if (repaired === undefined || repaired === text.normalize('NFC')) continue;
    const score = signalsOf(repaired).length;
    if (score >= signals.length) continue;
    const implausible = implausibleWords(repaired);
    if (best === undefined || score < best.score || (score === best.score && implausible < best.implausible)) {
      best = { encoding: candidate, score, implausible };
    }
  }
  if (best !== undefined) verdict.likelyEncoding = best.encoding;
  return verdict;
}

/**
 * TCVN3 (ABC) fonts have no toned capitals: names typed with the ".VnTimeH" capital fonts are
 * stored as lowercase codes (docs/domain/encodings.md#decoding). A decoded name from a TCVN3 source with letters but no
 * capital at all has probably lost its capitals; flag it for review rather than guess the casing.
 */
export function looksLikeLostTcvn3Capitals(decodedName: string): boolean {
  return /\p{L}/u.test(decodedName) && !/\p{Lu}/u.test(decodedName);
}
