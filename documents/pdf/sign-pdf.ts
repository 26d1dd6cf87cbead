/**
 * Signs a PDF with a PKCS#12 certificate (the school's seal for a học bạ, the university's for a CIM
 * certificate): a CMS detached signature (`adbe.pkcs7.detached`, SHA-256) in a signature field, over
 * the whole file except the signature value itself — an independent verifier (`pdfsig`) must report
 * "Total document signed".
 *
 * pdf-lib rewrites the whole file to insert the placeholder (not an incremental update), so a PDF that
 * already holds a signature is refused: re-saving it would silently break the earlier one.
 */
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { PDFDocument } from 'pdf-lib';
import { BugError, ConfigError, DataError } from '../../src/core/errors.js';

export interface PdfSigningOptions {
  /** the signer's PKCS#12 file (key, certificate and chain) */
  p12: Buffer;
  passphrase: string;
  /** why it is signed, e.g. "Xác nhận học bạ" */
  reason: string;
  /** where it is signed, e.g. "Hà Nội" */
  location: string;
  /** the signer's name as the signature dictionary shows it */
  name: string;
  contactInfo?: string;
  /** signing time written in the signature dictionary and the CMS signed attributes; defaults to now */
  signingTime?: Date;
  /** bytes reserved for the CMS signature (default 16384: room for a chain of a few certificates) */
  signatureLength?: number;
  /** names the document in errors (e.g. the record's idbanghi); never a personal id */
  documentKey?: string;
}

/** Returns the signed PDF. Wrong passphrase → ConfigError; unreadable or already signed PDF → DataError. */
export async function signPdf(pdf: Buffer, options: PdfSigningOptions): Promise<Buffer> {
  const context = { record: options.documentKey, field: 'pdf' };
  if (pdf.includes('/ByteRange')) {
    throw new DataError('PDF_ALREADY_SIGNED', 'the PDF already holds a signature; re-saving it would break that signature', context);
  }
  let pdfDoc: PDFDocument;
  try {
    // keep the producer's metadata (and so a deterministic file) instead of pdf-lib's "now"
    pdfDoc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (cause) {
    throw new DataError('PDF_UNREADABLE', 'the PDF to sign could not be parsed', context, { cause });
  }
  const signingTime = options.signingTime ?? new Date();
  pdflibAddPlaceholder({
    pdfDoc,
    reason: pdfTextString(options.reason),
    location: pdfTextString(options.location),
    name: pdfTextString(options.name),
    contactInfo: pdfTextString(options.contactInfo ?? ''),
    signingTime,
    signatureLength: options.signatureLength ?? 16384,
  });
  // Object streams would hide the signature dictionary from the byte-range search of @signpdf.
  const withPlaceholder = Buffer.from(await pdfDoc.save({ useObjectStreams: false }));

  let signed: Buffer;
  try {
    signed = await new SignPdf().sign(withPlaceholder, new P12Signer(options.p12, { passphrase: options.passphrase }), signingTime);
  } catch (cause) {
    if (cause instanceof Error && /password|mac could not be verified|pkcs#?12|private key/i.test(cause.message)) {
      throw new ConfigError('PDF_SIGNING_KEY', 'the PKCS#12 file could not be opened: wrong passphrase or damaged file', context, { cause });
    }
    throw new BugError('PDF_SIGNING_FAILED', 'signing the PDF failed', context, { cause });
  }
  assertWholeDocumentSigned(signed, context);
  return signed;
}

/**
 * Checks that the signature's /ByteRange [0 a b c] starts at the first byte and ends at the last one,
 * with only the /Contents value (the signature itself) left out.
 */
export function assertWholeDocumentSigned(signed: Buffer, context: { record?: string; field?: string } = {}): void {
  const range = signedByteRange(signed);
  if (range === undefined) throw new BugError('PDF_NO_BYTE_RANGE', 'the signed PDF has no /ByteRange', context);
  const [start, firstLength, secondStart, secondLength] = range;
  const gap = signed.subarray(firstLength, secondStart).toString('latin1');
  const coversAll = start === 0 && secondStart + secondLength === signed.length && /^<[0-9a-fA-F]*>$/.test(gap);
  if (!coversAll) throw new BugError('PDF_PARTIAL_SIGNATURE', 'the signature does not cover the whole document', context);
}

/** The four numbers of the last /ByteRange in the file, or undefined. */
export function signedByteRange(pdf: Buffer): [number, number, number, number] | undefined {
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = matches[matches.length - 1];
  if (!last) return undefined;
  return [Number(last[1]), Number(last[2]), Number(last[3]), Number(last[4])];
}

/**
 * The placeholder writes each text through pdf-lib's `PDFString.of`, which copies one byte per
 * JavaScript character: fine for ASCII, mangled for "Trường THCS …". A PDF text string may instead be
 * UTF-16BE with a byte-order mark (ISO 32000-1 §7.9.2.2), so we hand over that byte sequence, every
 * byte as an octal escape — the literal string then holds exactly those bytes whatever they are.
 */
export function pdfTextString(text: string): string {
  const normalized = text.normalize('NFC');
  if (/^[\x20-\x7e]*$/.test(normalized)) return normalized.replace(/[\\()]/g, (c) => `\\${c}`);
  const utf16be = Buffer.from(normalized, 'utf16le').swap16();
  const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]);
  return [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}
