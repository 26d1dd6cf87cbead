import { PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { createHocBaTestPki, type HocBaTestPki } from '../pki/test-pki.js';
import { renderHocBaPdf } from './hocba-pdf.js';
import { certutilAvailable, checkPdfSignatures, parsePdfsigOutput, pdfToText, popplerAvailable, withNssTrustStore } from './poppler.js';
import { assertWholeDocumentSigned, pdfTextString, signedByteRange, signPdf, type PdfSigningOptions } from './sign-pdf.js';

const hasPdfsig = popplerAvailable();
const hasCertutil = certutilAvailable();
const record = sampleHocBaRecord();
const SIGNING_TIME = new Date('2025-05-31T09:00:00+07:00');

let pki: HocBaTestPki;
let unsigned: Buffer;
let signed: Buffer;

function sealOptions(): PdfSigningOptions {
  return {
    p12: pki.school.p12,
    passphrase: pki.school.password,
    reason: 'Xác nhận học bạ năm học 2024-2025',
    location: record.diadanhphathanh,
    name: record.tentruong,
    contactInfo: 'vanthu@thcs-thunghiem.edu.vn',
    signingTime: SIGNING_TIME,
    documentKey: record.idbanghi,
  };
}

beforeAll(async () => {
  pki = createHocBaTestPki(record);
  unsigned = await renderHocBaPdf(record, { creationDate: new Date('2025-05-31T08:00:00+07:00') });
  signed = await signPdf(unsigned, sealOptions());
});

describe('signPdf', () => {
  it('signs the whole file but the signature value, keeping the Vietnamese texts of the signature dictionary', async () => {
    const range = signedByteRange(signed);
    expect(range).toBeDefined();
    const [start, firstLength, secondStart, secondLength] = range ?? [];
    expect(start).toBe(0);
    expect((secondStart ?? 0) + (secondLength ?? 0)).toBe(signed.length);
    expect(signed.subarray(firstLength, secondStart).toString('latin1')).toMatch(/^<[0-9a-f]+>$/);
    expect(() => assertWholeDocumentSigned(signed)).not.toThrow();

    const doc = await PDFDocument.load(signed);
    const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    const fields = form.lookup(PDFName.of('Fields'));
    expect(fields).toBeDefined();
    const sig = doc.context.enumerateIndirectObjects().map(([, o]) => o).find((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Sig'));
    expect(sig).toBeDefined();
    const text = (key: string): string | undefined => {
      const value = sig?.lookup(PDFName.of(key));
      return value instanceof PDFString ? value.decodeText() : undefined;
    };
    expect(text('Reason')).toBe('Xác nhận học bạ năm học 2024-2025');
    expect(text('Location')).toBe('Hà Nội');
    expect(text('Name')).toBe('Trường THCS Thử Nghiệm');
    expect(text('ContactInfo')).toBe('vanthu@thcs-thunghiem.edu.vn');
    expect(text('M')).toBe('D:20250531020000Z');
  });

  it('refuses a PDF that is already signed (re-saving would break the first signature)', async () => {
    await expect(signPdf(signed, sealOptions())).rejects.toMatchObject({ code: 'PDF_ALREADY_SIGNED', kind: 'data', context: { record: record.idbanghi } });
  });

  it('reports a wrong passphrase as a configuration error without echoing it', async () => {
    const error = await signPdf(unsigned, { ...sealOptions(), passphrase: 'not-the-password' }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'PDF_SIGNING_KEY', kind: 'config' });
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('refuses bytes that are not a PDF', async () => {
    await expect(signPdf(Buffer.from('not a pdf'), sealOptions())).rejects.toMatchObject({ code: 'PDF_UNREADABLE', kind: 'data' });
  });

  it('detects a byte range that leaves part of the file unsigned', () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% appended after signing\n')]);
    expect(() => assertWholeDocumentSigned(appended)).toThrow(expect.objectContaining({ code: 'PDF_PARTIAL_SIGNATURE' }));
    expect(() => assertWholeDocumentSigned(unsigned)).toThrow(expect.objectContaining({ code: 'PDF_NO_BYTE_RANGE' }));
  });
});

describe('pdfTextString', () => {
  it('leaves printable ASCII as it is, escaping the delimiters', () => {
    expect(pdfTextString('Ha Noi (VN) \\ 1')).toBe('Ha Noi \\(VN\\) \\\\ 1');
  });

  it('writes other text as UTF-16BE with a byte-order mark, every byte octal-escaped', () => {
    const encoded = pdfTextString('Hà');
    expect(encoded).toBe('\\376\\377\\000\\110\\000\\340');
    // pdf-lib decodes it back the way a viewer does
    expect(PDFString.of(pdfTextString('Trường THCS Thử Nghiệm')).decodeText()).toBe('Trường THCS Thử Nghiệm');
    // decomposed input comes out composed (NFC)
    expect(PDFString.of(pdfTextString('Hà Nội'.normalize('NFD'))).decodeText()).toBe('Hà Nội');
  });
});

describe('parsePdfsigOutput', () => {
  it('reads each signature block', () => {
    const output = [
      "Digital Signature Info of: /tmp/x.pdf",
      'Signature #1:',
      '  - Signature Field Name: Signature1',
      '  - Signer Certificate Common Name: Trường THCS Thử Nghiệm',
      '  - Signature Type: adbe.pkcs7.detached',
      '  - Signed Ranges: [0 - 10], [20 - 30]',
      '  - Total document signed',
      '  - Signature Validation: Signature is Valid.',
      "  - Certificate Validation: Certificate issuer isn't Trusted.",
      'Signature #2:',
      '  - Signed Ranges: [0 - 10], [20 - 25]',
      '  - Signature Validation: Digest Mismatch.',
    ].join('\n');
    expect(parsePdfsigOutput(output)).toEqual([
      { validation: 'Signature is Valid.', valid: true, totalDocumentSigned: true, certificateValidation: "Certificate issuer isn't Trusted.", signerCommonName: 'Trường THCS Thử Nghiệm', signatureType: 'adbe.pkcs7.detached' },
      { validation: 'Digest Mismatch.', valid: false, totalDocumentSigned: false, certificateValidation: '', signerCommonName: '', signatureType: '' },
    ]);
  });
});

describe.skipIf(!hasPdfsig)('signed học bạ checked by pdfsig', () => {
  it('is valid, covers the whole document and names the school as signer', async () => {
    const report = await checkPdfSignatures(signed);
    expect(report.signatures, report.output).toHaveLength(1);
    const [signature] = report.signatures;
    expect(signature?.validation, report.output).toBe('Signature is Valid.');
    expect(signature?.totalDocumentSigned, report.output).toBe(true);
    expect(signature?.signatureType).toBe('adbe.pkcs7.detached');
    expect(signature?.signerCommonName.normalize('NFC')).toBe(record.tentruong);
    // the test CA is not in pdfsig's default trust store: validity is checked, trust is not
    expect(signature?.certificateValidation).not.toBe('Certificate is Trusted.');
    expect(report.output).toContain('Signature Validation: Signature is Valid.');
    expect(report.output).toContain('Total document signed');
  });

  it('still reads back the same text after signing', async () => {
    const text = (await pdfToText(signed)).normalize('NFC');
    expect(text).toContain(record.hovaten);
    for (const subject of record.bangdiem) expect(text).toContain(subject.tenmonhoc);
  });

  it('is invalid once one signed byte of the content changes', async () => {
    const range = signedByteRange(signed);
    expect(range).toBeDefined();
    // a byte inside the first page's content stream, well within the first signed range
    const streamStart = signed.indexOf('stream', signed.indexOf('/Type /Page'));
    const at = streamStart > 0 && streamStart < (range?.[1] ?? 0) - 20 ? streamStart + 12 : Math.floor((range?.[1] ?? 0) / 2);
    const tampered = Buffer.from(signed);
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const report = await checkPdfSignatures(tampered);
    expect(report.signatures, report.output).toHaveLength(1);
    expect(report.signatures[0]?.valid, report.output).toBe(false);
    expect(report.output).not.toContain('Signature is Valid.');
  });

  it('is invalid when a byte of the second signed range (after the signature value) changes', async () => {
    const [, , secondStart] = signedByteRange(signed) ?? [0, 0, 0, 0];
    // the signature dictionary's tail follows the /Contents value: flip a letter in "/Reason" or the like
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('/', secondStart) + 1;
    tampered[at] = (tampered[at] ?? 0) ^ 0x20;
    const report = await checkPdfSignatures(tampered);
    expect(report.signatures[0]?.valid, report.output).toBe(false);
  });
});

describe.skipIf(!hasPdfsig || !hasCertutil)('signed học bạ with the test CA trusted (NSS database)', () => {
  it('has a certificate pdfsig trusts', async () => {
    const report = await withNssTrustStore(pki.ca.certPem, (nssDir) => checkPdfSignatures(signed, { nssDir }));
    expect(report.signatures[0]?.valid, report.output).toBe(true);
    expect(report.signatures[0]?.certificateValidation, report.output).toBe('Certificate is Trusted.');
  });
});
