import iconv from 'iconv-lite';
import { toUnicode, toVIQR, toVNI } from 'vietnamese-conversion';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import {
  decodeBytes,
  decodeSourceText,
  detectLikelyMojibake,
  encodeVni,
  looksLikeLostTcvn3Capitals,
  repairMisdecoded,
  UNICODE_TO_VNI,
  type SourceEncoding,
} from './encoding.js';
import { CORRECT_NAMES } from './testing/encoding-names.js';

const TONE = /[\u0300\u0301\u0303\u0309\u0323]/u;

/** Windows-1258 bytes as Windows writes them: precomposed base letter + combining tone byte. */
function cp1258Bytes(text: string): Buffer {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const nfd = ch.normalize('NFD');
    const tone = nfd.match(TONE)?.[0];
    out += tone === undefined ? ch : nfd.replace(tone, '').normalize('NFC') + tone;
  }
  return iconv.encode(out, 'windows-1258');
}

/** What a driver that reads bytes as CP1252 returns (undefined CP1252 bytes come back as C1 controls). */
function readAsCp1252(bytes: Buffer): string {
  return [...bytes].map((b) => {
    const ch = iconv.decode(Buffer.from([b]), 'win1252');
    return ch === '\ufffd' ? String.fromCharCode(b) : ch;
  }).join('');
}

describe('decodeBytes', () => {
  it('decodes TCVN3, VISCII, Windows-1258, VNI, VIQR and UTF-8 bytes of every test name to NFC', () => {
    for (const name of CORRECT_NAMES) {
      expect(decodeBytes(iconv.encode(name, 'tcvn'), 'tcvn3')).toBe(name);
      expect(decodeBytes(iconv.encode(name, 'viscii'), 'viscii')).toBe(name);
      expect(decodeBytes(cp1258Bytes(name), 'windows-1258')).toBe(name);
      expect(decodeBytes(iconv.encode(encodeVni(name), 'win1252'), 'vni')).toBe(name);
      expect(decodeBytes(Buffer.from(toVIQR(name, 'unicode'), 'latin1'), 'viqr')).toBe(name);
      expect(decodeBytes(Buffer.from(name.normalize('NFD'), 'utf8'), 'unicode')).toBe(name);
    }
  });

  it('matches the documented byte facts (docs/domain/encodings.md)', () => {
    expect(decodeBytes(Buffer.from([0xb5]), 'tcvn3')).toBe('à');
    const hoa = decodeBytes(Buffer.from([0x48, 0x6f, 0x61, 0xcc]), 'windows-1258');
    expect(hoa).toBe('Hoà');
    expect(hoa.length).toBe(3);
    expect(decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), 'unicode')).toBe('A');
  });

  it('decodes a subarray view without reading outside it', () => {
    const whole = Buffer.concat([Buffer.from('xx'), iconv.encode('Hoàng', 'tcvn'), Buffer.from('yy')]);
    expect(decodeBytes(whole.subarray(2, whole.length - 2), 'tcvn3')).toBe('Hoàng');
  });

  it('refuses an unknown encoding as a configuration error', () => {
    expect(() => decodeBytes(Buffer.from('a'), 'vps' as SourceEncoding)).toThrow(ConfigError);
  });
});


describe('repairMisdecoded (text a driver read as CP1252/Latin-1)', () => {
  it('repairs the documented examples', () => {
    expect(repairMisdecoded('Nguyeãn Vaên Hoøa', 'vni')).toBe('Nguyễn Văn Hòa');
    expect(repairMisdecoded('NguyÔn V¨n Hoµ', 'tcvn3')).toBe('Nguyễn Văn Hoà');
    expect(repairMisdecoded('Nguye^~n Va(n Ho`a', 'viqr')).toBe('Nguyễn Văn Hòa');
    expect(repairMisdecoded('Ho\u00cca', 'windows-1258')).toBe('Hòa');
  });

  it('round-trips every test name through each legacy encoding read as CP1252', () => {
    for (const name of CORRECT_NAMES) {
      expect(repairMisdecoded(encodeVni(name), 'vni')).toBe(name);
      expect(repairMisdecoded(readAsCp1252(iconv.encode(name, 'tcvn')), 'tcvn3')).toBe(name);
      expect(repairMisdecoded(readAsCp1252(iconv.encode(name, 'viscii')), 'viscii')).toBe(name);
      expect(repairMisdecoded(readAsCp1252(cp1258Bytes(name)), 'windows-1258')).toBe(name);
      expect(decodeSourceText(encodeVni(name), 'vni')).toBe(name);
    }
  });

  it('passes through characters that are already Unicode', () => {
    expect(repairMisdecoded('Lª Thị Hoµ', 'tcvn3')).toBe('Lê Thị Hoà');
    expect(repairMisdecoded('Ho\u0300a', 'unicode')).toBe('Hòa');
  });

  it('uses its own VNI table because vietnamese-conversion mis-decodes ư + tone and ỷ/ỹ', () => {
    // our table agrees with the library on every letter except ỷ ỹ Ỷ Ỹ (VNI-Windows: yû yõ YÛ YÕ)
    const differing = [...UNICODE_TO_VNI].filter(([uni, vni]) => toVNI(uni, 'unicode') !== vni).map(([uni]) => uni);
    expect(differing.sort()).toEqual(['Ỷ', 'Ỹ', 'ỷ', 'ỹ'].sort());
    expect(UNICODE_TO_VNI.get('ỹ')).toBe('yõ');
    // the library replaces "ö" (ư) before "öø" (ừ): pinned so that a fixed release is noticed
    expect(toUnicode('Tröôøng', 'vni')).not.toBe('Trường');
    expect(repairMisdecoded('Tröôøng', 'vni')).toBe('Trường');
  });
});

describe('detectLikelyMojibake', () => {
  it('has no false positive on correctly spelled names, in NFC', () => {
    for (const name of CORRECT_NAMES) expect(detectLikelyMojibake(name), name).toEqual({ suspicious: false });
    expect(detectLikelyMojibake('Trường THPT Chuyên Hà Nội - Amsterdam, 25°C, «Quê hương»')).toEqual({ suspicious: false });
    expect(detectLikelyMojibake('Thuỵ Khuê, quì, Quí')).toEqual({ suspicious: false });
  });

  it('catches every VNI and TCVN3 mis-decoding and names the encoding', () => {
    // TCVN3 "Khóc Thõa Dô" (Khúc Thừa Dụ) consists of correct Vietnamese words: undetectable
    const undetectableTcvn3 = new Set(['Khúc Thừa Dụ']);
    // TCVN3 "Khæng" (Khổng) is also VNI "Khỉng": flagged, but the encoding cannot be told apart
    const ambiguousTcvn3 = new Set(['Khổng Minh Khoa']);
    for (const name of CORRECT_NAMES) {
      expect(detectLikelyMojibake(encodeVni(name)), name).toMatchObject({ suspicious: true, likelyEncoding: 'vni' });
      if (undetectableTcvn3.has(name)) continue;
      if (ambiguousTcvn3.has(name)) {
        expect(detectLikelyMojibake(readAsCp1252(iconv.encode(name, 'tcvn'))).suspicious).toBe(true);
        continue;
      }
      expect(detectLikelyMojibake(readAsCp1252(iconv.encode(name, 'tcvn'))), name).toMatchObject({ suspicious: true, likelyEncoding: 'tcvn3' });
    }
    expect(detectLikelyMojibake('Khóc Thõa Dô')).toEqual({ suspicious: false });
  });

  it('catches UTF-8 read as CP1252 and names it', () => {
    for (const name of CORRECT_NAMES) {
      expect(detectLikelyMojibake(readAsCp1252(Buffer.from(name, 'utf8'))), name).toMatchObject({ suspicious: true, likelyEncoding: 'utf8-read-as-cp1252' });
    }
  });

  it('catches VISCII and Windows-1258 mis-decodings unless the result is itself correct Vietnamese', () => {
    // "Văn" in CP1258 read as Latin-1 is "Vãn", itself a Vietnamese word: undetectable on its own
    const undetectable = new Set(['Chu Văn An']);
    for (const name of CORRECT_NAMES) {
      for (const misread of [readAsCp1252(iconv.encode(name, 'viscii')), readAsCp1252(cp1258Bytes(name))]) {
        if (misread === name || undetectable.has(name)) continue;
        expect(detectLikelyMojibake(misread).suspicious, `${name} → ${misread}`).toBe(true);
      }
    }
  });

  it('reports replacement characters, control characters and unnormalised marks', () => {
    expect(detectLikelyMojibake('Nguy\ufffdn')).toEqual({ suspicious: true, reason: 'replacement-character' });
    expect(detectLikelyMojibake('Nguy\u0085n')).toMatchObject({ suspicious: true, reason: 'control-character' });
    expect(detectLikelyMojibake('Nguyễn Văn Hòa'.normalize('NFD'))).toEqual({ suspicious: true, reason: 'unnormalised-combining-marks', likelyEncoding: 'windows-1258' });
  });

  it('explains why with a reason code', () => {
    expect(detectLikelyMojibake('Cao Baù Quaùt').reason).toBe('vni-modifier-pair');
    expect(detectLikelyMojibake('Chu V¨n An').reason).toBe('legacy-symbol-in-word');
    expect(detectLikelyMojibake('NguyÔn An').reason).toBe('uppercase-inside-word');
    expect(detectLikelyMojibake('Phaòm An').reason).toBe('tone-byte-after-vowel');
  });
});

describe('looksLikeLostTcvn3Capitals', () => {
  it('flags names with no capital letter (".VnTimeH" text stored as lowercase codes)', () => {
    const decoded = decodeBytes(iconv.encode('nguyễn thị hoà', 'tcvn'), 'tcvn3');
    expect(looksLikeLostTcvn3Capitals(decoded)).toBe(true);
    expect(looksLikeLostTcvn3Capitals('Nguyễn Thị Hoà')).toBe(false);
    expect(looksLikeLostTcvn3Capitals('1234')).toBe(false);
  });
});
