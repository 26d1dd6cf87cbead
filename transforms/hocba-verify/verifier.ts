/**
 * The `hocba-verify` transformer: a changed record read from a `signed-hocba-folder` source → its
 * document, verified and attached byte for byte as the file holds it (`tailieu`). Nothing is signed
 * or rewritten here: a document that does not verify is held back with the reason, naming the file
 * and the failing signature's Id (`sig-gvbm-<mamonhoc>`, `sig-gvcn`, `sig-ht`, `sig-dv`).
 *
 * Checked, in this order: the file is still the bytes that were mapped (SHA-256); the XSD, every
 * signature, its certificate chain to a trusted CA and the completeness of the roles
 * (`verifyHocBa`); the signing order in time (subject teachers, then the homeroom teacher, the
 * principal, the seal: docs/formats/hocba.md#signing-order); the verified data is the mapped data;
 * and the document's version (`phienbanthongtinhocba`) is the phienban this change goes out at,
 * which the hub requires and which only the ledger knows (a document the vendor re-signed after a
 * change must say the next version).
 */
import { readFile } from 'node:fs/promises';
import { canonicalJson, sha256Hex } from '../../src/core/hash.js';
import type { FieldError, JsonObject } from '../../src/core/records.js';
import type { RecordTransformer, TransformInput, TransformResult } from '../../src/core/transform.js';
import { verifyHocBa, type SignatureReport } from '../../documents/xmldsig/verify-hocba.js';
import { documentShelf } from '../../connectors/signed-hocba-folder/shelf.js';
import { documentRecord } from '../../mappings/hocba-thcsthpt-signed/2025/mapping.js';

export interface SignedDocumentVerifierOptions {
  /** PEM certificates of the CAs a signer's certificate must chain to (bundles already split) */
  trustedCaPems: readonly string[];
  /** the time certificates must be valid at; default now */
  now?: () => Date;
}

const ROLE_ORDER = ['gvbm', 'gvcn', 'hieutruong', 'donvi'] as const;
const ROLE_NAMES: Record<string, string> = { gvbm: 'subject teacher', gvcn: 'homeroom teacher', hieutruong: 'principal', donvi: 'school seal' };

export class SignedDocumentVerifier implements RecordTransformer {
  readonly name = 'hocba-verify';
  readonly #options: SignedDocumentVerifierOptions;

  constructor(options: SignedDocumentVerifierOptions) {
    this.#options = options;
  }

  async transform(input: TransformInput): Promise<TransformResult> {
    const shelved = documentShelf.get(input.sourceKey);
    if (!shelved) {
      return fail('tailieu', 'SIGNED_DOCUMENT_NOT_READ', 'the signed file of this record was not read by a signed-hocba-folder source in this run; it is read again on the next run');
    }
    const file = shelved.name;
    let bytes: Buffer;
    try {
      bytes = await readFile(shelved.path);
    } catch {
      return fail('tailieu', 'SIGNED_FILE_CHANGED', `${file}: the file was moved or removed after it was read; it is read again on the next run`);
    }
    const sha256 = sha256Hex(bytes);
    if (sha256 !== shelved.sha256) return fail('tailieu', 'SIGNED_FILE_CHANGED', `${file}: the file changed after it was read; it is read again on the next run`);

    const xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const verified = await verifyHocBa(xml, { trustedCaPems: this.#options.trustedCaPems, at: this.#options.now?.() ?? new Date() });
    if (!verified.valid || verified.data === undefined) return { ok: false, errors: verificationErrors(file, verified.signatures, verified.errors) };

    const order = signingOrderError(file, verified.signatures);
    if (order) return { ok: false, errors: [order] };
    const signed = documentRecord(verified.data as unknown as Record<string, unknown>);
    if (canonicalJson(signed) !== canonicalJson(input.data as JsonObject)) {
      return fail('tailieu', 'DATA_MISMATCH', `${file}: the signed data is not the data that was read from the file`);
    }
    const version = String(signed.phienbanthongtinhocba ?? '');
    if (version !== String(input.phienban)) {
      return fail(
        'tailieu.phienbanthongtinhocba',
        'DOCUMENT_VERSION_MISMATCH',
        `${file}: the document is signed as version ${version || '(none)'} (phienbanthongtinhocba), but this change of the record goes to the hub as version ${input.phienban}: sign it again in the vendor software as version ${input.phienban}`,
      );
    }
    return { ok: true, tailieu: { dinhdang: 'xml', noidung: bytes.toString('base64'), sha256 } };
  }

  async close(): Promise<void> {}
}

function fail(field: string, code: string, message: string): TransformResult {
  return { ok: false, errors: [{ field, code, message }] };
}

/** One error per failing signature (by its Id), then what concerns the document as a whole. */
export function verificationErrors(file: string, signatures: readonly SignatureReport[], errors: readonly string[]): FieldError[] {
  const out: FieldError[] = [];
  for (const s of signatures) {
    if (s.valid) continue;
    const who = s.mamonhoc === undefined ? ROLE_NAMES[s.role] : `${ROLE_NAMES[s.role] ?? s.role} of ${s.mamonhoc}`;
    out.push({ field: `tailieu.${s.signatureId}`, code: 'SIGNATURE_INVALID', message: `${file}: signature ${s.signatureId} (${who}) does not verify: ${s.error ?? 'unknown reason'}` });
  }
  for (const e of errors) {
    if (/^signature \S+ \(\w+\) is invalid:/.test(e)) continue; // said above, by signature
    const schema = e.startsWith('schema: ');
    out.push({ field: 'tailieu', code: schema ? 'SCHEMA_INVALID' : 'SIGNED_DOCUMENT_INVALID', message: `${file}: ${schema ? e.slice('schema: '.length) : e}` });
  }
  if (out.length === 0) out.push({ field: 'tailieu', code: 'SIGNED_DOCUMENT_INVALID', message: `${file}: the document does not verify` });
  return out;
}

/**
 * The roles sign one after the other: no subject teacher after the homeroom teacher, no homeroom
 * teacher after the principal, no principal after the seal. A signature dated before one it
 * covers was made out of order (or its clock was wrong): either way the record is not sent.
 */
export function signingOrderError(file: string, signatures: readonly SignatureReport[]): FieldError | undefined {
  const latest = new Map<string, { at: number; id: string }>();
  const earliest = new Map<string, { at: number; id: string }>();
  for (const s of signatures) {
    const at = s.signedAt === undefined ? NaN : Date.parse(s.signedAt);
    if (Number.isNaN(at)) continue;
    const l = latest.get(s.role);
    if (!l || at > l.at) latest.set(s.role, { at, id: s.signatureId });
    const e = earliest.get(s.role);
    if (!e || at < e.at) earliest.set(s.role, { at, id: s.signatureId });
  }
  for (let i = 1; i < ROLE_ORDER.length; i++) {
    const later = earliest.get(ROLE_ORDER[i]!);
    for (let j = 0; j < i; j++) {
      const before = latest.get(ROLE_ORDER[j]!);
      if (later && before && later.at < before.at) {
        return { field: `tailieu.${later.id}`, code: 'HOCBA_SIGNING_ORDER', message: `${file}: signature ${later.id} is dated before signature ${before.id}, which it must follow` };
      }
    }
  }
  return undefined;
}
