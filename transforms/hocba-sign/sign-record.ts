/**
 * One school record → its signed XML document (and, on request, its sealed PDF): build → XSD →
 * sign by every party → verify our own output. The same function runs in the transformer's thread
 * and in the signing pool's workers, so both paths give the same documents and the same errors.
 */
import { LienthongError } from '../../src/core/errors.js';
import type { FieldError } from '../../src/core/records.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import { renderHocBaPdf } from '../../documents/pdf/hocba-pdf.js';
import { signPdf } from '../../documents/pdf/sign-pdf.js';
import { signHocBa, type HocBaSigners } from '../../documents/xmldsig/sign-hocba.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { validateHocBaXml } from '../../documents/hocba/validate.js';
import { buildHocBaXml } from '../../documents/hocba/xml.js';

export interface PdfSealKey {
  /** the school's PKCS#12 file */
  p12: Buffer;
  password: string;
}

export interface SignRecordOptions {
  /** CAs the freshly signed document must chain to (the check before anything leaves) */
  trustedCaPems: readonly string[];
  signingTime: Date;
  /** when set, the PDF rendition is made too and sealed with this key */
  pdfSeal?: PdfSealKey;
}

/**
 * The signed documents, or the record's errors. A cause in the configuration (a signing key missing
 * or not opening) is not the record's: it is thrown as a ConfigError.
 */
export type SignRecordResult = { ok: true; xml: string; pdf?: Uint8Array } | { ok: false; errors: FieldError[] };

/** How many schema or verification messages one error carries (the first ones are the useful ones). */
const MAX_MESSAGES = 5;

export async function signHocBaRecord(data: HocBaThcsThpt, signers: HocBaSigners, options: SignRecordOptions): Promise<SignRecordResult> {
  let xml: string;
  try {
    xml = buildHocBaXml(data);
  } catch (err) {
    return { ok: false, errors: [fieldErrorFrom(err)] };
  }
  const schema = await validateHocBaXml(xml);
  if (!schema.valid) {
    return { ok: false, errors: [{ field: 'tailieu', code: 'SCHEMA_INVALID', message: safeMessage(`the document does not match the học bạ XSD: ${summary(schema.errors)}`) }] };
  }

  let signed: string;
  try {
    signed = await signHocBa(xml, signers, options.signingTime, { schemaValidated: true });
  } catch (err) {
    return { ok: false, errors: [fieldErrorFrom(err)] };
  }
  // Defence in depth: never hand over a document an independent check of ours would refuse
  // (a certificate from another CA, an expired one, a key that is not the named person's). The XSD
  // passed just above and only signatures went in since: builtHere does not run it a second time.
  const verified = await verifyHocBa(signed, { trustedCaPems: options.trustedCaPems, at: options.signingTime, builtHere: true });
  if (!verified.valid) {
    return { ok: false, errors: [{ field: 'tailieu', code: 'SIGNATURE_UNVERIFIED', message: safeMessage(`the signed document does not verify: ${summary(verified.errors)}`) }] };
  }
  if (!options.pdfSeal) return { ok: true, xml: signed };
  const pdf = await sealedPdfOf(data, options.pdfSeal, options.signingTime);
  return pdf.ok ? { ok: true, xml: signed, pdf: pdf.pdf } : pdf;
}

/**
 * The PDF rendition of a record, sealed with the school's PKCS#12 key: made from `data` as the signed
 * XML holds it (the remote workflow passes the data read back from the sealed, verified document).
 */
export async function sealedPdfOf(data: HocBaThcsThpt, seal: PdfSealKey, signingTime: Date): Promise<{ ok: true; pdf: Uint8Array } | { ok: false; errors: FieldError[] }> {
  try {
    const pdf = await renderHocBaPdf(data);
    const sealed = await signPdf(pdf, {
      p12: seal.p12,
      passphrase: seal.password,
      reason: `Xác nhận học bạ năm học ${data.namhoc}`,
      location: data.diadanhphathanh,
      name: data.tentruong,
      signingTime,
      documentKey: data.idbanghi,
    });
    return { ok: true, pdf: sealed };
  } catch (err) {
    return { ok: false, errors: [fieldErrorFrom(err, 'tailieu.pdf')] };
  }
}

/**
 * A thrown error as the FieldError of a result. The field is the record path the error names
 * (`data.<path>`), else `fallbackField`. The message is masked again: ids must not leak even if a
 * library put one in.
 */
export function fieldErrorFrom(err: unknown, fallbackField = 'tailieu'): FieldError {
  if (err instanceof LienthongError) {
    const f = err.context.field;
    const field = f === undefined ? fallbackField : f.startsWith('data.') || f.startsWith('tailieu') ? f : `data.${f}`;
    return { field, code: err.code, message: safeMessage(err.message) };
  }
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
  return { field: fallbackField, code: 'SIGNING_FAILED', message: safeMessage(message.slice(0, 200)) };
}

function summary(messages: readonly string[]): string {
  const shown = messages.slice(0, MAX_MESSAGES).join('; ');
  return messages.length > MAX_MESSAGES ? `${shown}; … ${messages.length - MAX_MESSAGES} more` : shown;
}

function safeMessage(message: string): string {
  return maskPersonalIdsInText(message);
}
