/**
 * The `hocba-sign` transformer: a mapped school record → its XML document signed by every subject
 * teacher, the homeroom teacher, the principal and the school (docs/formats/hocba.md#signing-order),
 * checked by our own verifier, attached as `tailieu`. The document's version
 * (`phienbanthongtinhocba`, in the XML and the PDF) is the envelope's phienban: a re-signed record
 * says which version it is. With `documentsDir` the signed XML and the school-sealed PDF are kept
 * there too, every version (documents.ts).
 *
 * Signing runs in a worker_threads pool (sign-pool.ts) when the keys are files another thread can
 * open, in this thread otherwise. A record's problem is a result naming the field; a configuration
 * problem (a signing key missing or not opening, see keystore.ts) is thrown as a ConfigError: it is
 * not the record's fault, and the runner stops and keeps the record for a later run.
 */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { BugError, ConfigError, LienthongError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/hash.js';
import type { FieldError, JsonObject } from '../../src/core/records.js';
import type { RecordTransformer, TransformInput, TransformResult } from '../../src/core/transform.js';
import type { HocBaSigners } from '../../documents/xmldsig/sign-hocba.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { certificatesOfAll } from '../../documents/pki/pem.js';
import { keepSignedVersionOrError, safeFileName } from './documents.js';
import { SCHOOL_SIGNER, type KeyHolder, type KeyRequestContext, type KeyStore } from './keystore.js';
import { SignPool, signWorkerFile, type SignJob } from './sign-pool.js';
import { fieldErrorFrom, signHocBaRecord, type SignRecordResult } from './sign-record.js';

export interface HocBaSigningTransformerOptions {
  keyStore: KeyStore;
  /**
   * PEM texts of the CAs the signed document must chain to; a text holding several certificates (a
   * chain or a bundle, any order) trusts every one of them
   */
  trustedCaPems: readonly string[];
  /**
   * when set, the signed XML and the sealed PDF are kept here, every version: `<idbanghi>.v<N>.xml/.pdf`,
   * the latest also as `<idbanghi>.xml/.pdf`, and `<idbanghi>.versions.json` (documents.ts)
   */
  documentsDir?: string;
  /** the signing time; default now */
  clock?: () => Date;
  /** worker threads; 0 signs in this thread. Default: one per core but one, at least one */
  workers?: number;
}

export type SigningMode = 'worker-threads' | 'in-thread';

/** A party who signs, with the record field its personal id came from and their role (for the operator). */
export interface Party {
  personalId: string;
  field: string;
  role: string;
}

export interface Parties {
  subjects: Array<Party & { mamonhoc: string }>;
  homeroom: Party;
  principal: Party;
}

export class HocBaSigningTransformer implements RecordTransformer {
  readonly name = 'hocba-sign';
  /** where records are signed: the pool, or this thread (workers: 0, keys not in files, or no built worker) */
  readonly mode: SigningMode;
  readonly #options: HocBaSigningTransformerOptions;
  readonly #clock: () => Date;
  readonly #pool: SignPool | undefined;
  /** every trusted certificate, one PEM block each (bundles split) */
  readonly #trustedCaPems: readonly string[];
  #schoolP12: Promise<Buffer> | undefined;
  /** the documents of one record are written one version at a time (the manifest is read, then written) */
  readonly #writing = new Map<string, Promise<unknown>>();

  constructor(options: HocBaSigningTransformerOptions) {
    if (options.trustedCaPems.length === 0) throw new ConfigError('HOCBA_SIGN_NO_TRUST', 'hocba-sign needs at least one trusted CA certificate');
    if (options.trustedCaPems.some((pem) => certificatesOfAll([pem]).length === 0)) {
      throw new ConfigError('TRUSTED_CA_EMPTY', 'hocba-sign: a trusted CA text holds no PEM certificate');
    }
    this.#trustedCaPems = certificatesOfAll(options.trustedCaPems);
    if (options.documentsDir !== undefined && !options.keyStore.files) {
      // the PDF seal (@signpdf) signs with a PKCS#12 file
      throw new ConfigError('HOCBA_SIGN_PDF_KEY', "writing documents needs the school's PKCS#12 file: this key store has no files");
    }
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
    const workerFile = workers > 0 && options.keyStore.files ? signWorkerFile() : undefined;
    this.#pool = workerFile ? new SignPool({ size: workers }, workerFile) : undefined;
    this.mode = this.#pool ? 'worker-threads' : 'in-thread';
  }

  async transform(input: TransformInput): Promise<TransformResult> {
    if (!Number.isInteger(input.phienban) || input.phienban < 1 || input.phienban > 99999) {
      throw new BugError('PHIENBAN_INVALID', `hocba-sign was given phienban ${String(input.phienban)}: a version is a whole number from 1 to 99999`, { record: input.idbanghi });
    }
    try {
      if (this.#options.documentsDir !== undefined && !safeFileName(input.idbanghi)) {
        return { ok: false, errors: [{ field: 'idbanghi', code: 'DOCUMENT_NAME_INVALID', message: 'the record id cannot be used as a file name (path separators or a leading dot)' }] };
      }
      const record = recordOf(input);
      if (!record.ok) return record;
      const parties = partiesOf(record.data);
      if (!parties.ok) return parties;
      const signingTime = this.#clock();
      // a subject whose teacher has left is the principal's to sign (KyThay): no key of the teacher is needed
      const inPlace = input.signing?.subjectsSignedByPrincipal ?? [];
      const signing = { ...parties.parties, subjects: parties.parties.subjects.filter((s) => !inPlace.includes(s.mamonhoc)) };
      const result = this.#pool ? await this.#inPool(record.data, signing, signingTime, input) : await this.#inThread(record.data, signing, signingTime, input);
      if (!result.ok) return { ok: false, errors: result.errors };

      const xmlBytes = Buffer.from(result.xml, 'utf8');
      if (this.#options.documentsDir !== undefined) {
        if (!result.pdf) return { ok: false, errors: [{ field: 'tailieu.pdf', code: 'PDF_MISSING', message: 'the sealed PDF was not made' }] };
        const written = await this.#writeDocuments(this.#options.documentsDir, input, xmlBytes, result.pdf, signingTime);
        if (written) return { ok: false, errors: [written] };
      }
      return { ok: true, tailieu: { dinhdang: 'xml', noidung: xmlBytes.toString('base64'), sha256: sha256Hex(xmlBytes) } };
    } catch (err) {
      // the configuration, not the record: the runner stops the run and signs the record later
      if (err instanceof LienthongError && err.kind === 'config') throw err;
      return { ok: false, errors: [fieldErrorFrom(err)] };
    }
  }

  async close(): Promise<void> {
    await this.#pool?.close();
    await this.#options.keyStore.close?.();
  }

  async #inThread(data: HocBaThcsThpt, parties: Parties, signingTime: Date, input: TransformInput): Promise<SignRecordResult> {
    const store = this.#options.keyStore;
    const keys = await resolveKeys(parties, input.idbanghi, (id, ctx) => store.signerFor(id, ctx), () => store.schoolSigner());
    if (!keys.ok) return keys;
    const inPlace = input.signing?.subjectsSignedByPrincipal;
    const signers: HocBaSigners = { ...keys.keys, ...(inPlace ? { subjectsSignedByPrincipal: inPlace } : {}) };
    const pdfSeal = this.#options.documentsDir !== undefined ? await this.#pdfSealKey() : undefined;
    return signHocBaRecord(data, signers, { trustedCaPems: this.#trustedCaPems, signingTime, ...(pdfSeal ? { pdfSeal } : {}) });
  }

  async #inPool(data: HocBaThcsThpt, parties: Parties, signingTime: Date, input: TransformInput): Promise<SignRecordResult> {
    const files = this.#options.keyStore.files;
    const pool = this.#pool;
    if (!files || !pool) throw new ConfigError('HOCBA_SIGN_POOL', 'the signing pool needs PKCS#12 key files');
    // Missing keys are found here, before a worker is busied with the record.
    const keys = await resolveKeys(parties, input.idbanghi, (id, ctx) => files.pathFor(id, ctx), () => files.schoolPath());
    if (!keys.ok) return keys;
    return pool.run({
      data: data as unknown as JsonObject,
      keyFiles: keys.keys,
      holders: holdersOf(parties),
      password: files.password,
      ...(input.signing?.subjectsSignedByPrincipal ? { subjectsSignedByPrincipal: input.signing.subjectsSignedByPrincipal } : {}),
      trustedCaPems: this.#trustedCaPems,
      signingTime: signingTime.toISOString(),
      pdf: this.#options.documentsDir !== undefined,
    });
  }

  #pdfSealKey(): Promise<{ p12: Buffer; password: string }> {
    const files = this.#options.keyStore.files;
    if (!files) throw new ConfigError('HOCBA_SIGN_PDF_KEY', "writing documents needs the school's PKCS#12 file");
    if (!this.#schoolP12) {
      const loading = files.schoolPath().then((path) => readFile(path));
      loading.catch(() => (this.#schoolP12 = undefined)); // looked for again on the next record
      this.#schoolP12 = loading;
    }
    return this.#schoolP12.then((p12) => ({ p12, password: files.password }));
  }

  /** Keeps this version's documents; one record's versions are written one after the other. */
  async #writeDocuments(dir: string, input: TransformInput, xml: Buffer, pdf: Uint8Array, signedAt: Date): Promise<FieldError | undefined> {
    const previous = this.#writing.get(input.idbanghi) ?? Promise.resolve();
    const writing = previous.catch(() => undefined).then(() => keepSignedVersionOrError(dir, input.idbanghi, input.phienban, xml, pdf, signedAt));
    this.#writing.set(input.idbanghi, writing);
    try {
      return await writing;
    } finally {
      if (this.#writing.get(input.idbanghi) === writing) this.#writing.delete(input.idbanghi);
    }
  }
}

/**
 * The record as the document needs it: `idbanghi` is a document field, taken from the envelope if
 * absent; the document's version (`phienbanthongtinhocba`) is the envelope's phienban. The mapping
 * cannot know that version (the ledger decides it when the record changed), so whatever the mapped
 * data says is replaced: a record re-signed at phienban 2 says 2 in its XML and its PDF.
 */
export function recordOf(input: TransformInput): { ok: true; data: HocBaThcsThpt } | { ok: false; errors: FieldError[] } {
  const own = input.data['idbanghi'];
  if (own !== undefined && own !== input.idbanghi) {
    return { ok: false, errors: [{ field: 'data.idbanghi', code: 'IDBANGHI_MISMATCH', message: 'data.idbanghi differs from the record id of the envelope' }] };
  }
  const data = { ...input.data, idbanghi: input.idbanghi, phienbanthongtinhocba: String(input.phienban) } as unknown as HocBaThcsThpt;
  return { ok: true, data };
}

/**
 * Who signs, read from the record with the field each id comes from. Shape problems other than a
 * missing id are left to buildHocBaXml, which names them.
 */
export function partiesOf(data: HocBaThcsThpt): { ok: true; parties: Parties } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const idAt = (value: unknown, field: string, who: string): Party => {
    if (typeof value !== 'string' || value === '') errors.push({ field, code: 'SIGNER_ID_MISSING', message: `the personal id of ${who} is missing: no one to sign` });
    return { personalId: typeof value === 'string' ? value : '', field, role: who };
  };
  const rows: unknown[] = Array.isArray(data.bangdiem) ? data.bangdiem : [];
  const subjects = rows.flatMap((row, i) => {
    if (typeof row !== 'object' || row === null) return [];
    const r = row as Record<string, unknown>;
    const mamonhoc = typeof r['mamonhoc'] === 'string' ? r['mamonhoc'] : String(i);
    return [{ mamonhoc, ...idAt(r['soddcngvbm'], `data.bangdiem[${mamonhoc}].soddcngvbm`, `the teacher of subject ${mamonhoc}`) }];
  });
  const homeroom = idAt(data.soddcngvcn, 'data.soddcngvcn', 'the homeroom teacher');
  const principal = idAt(data.soddcngiamhieu, 'data.soddcngiamhieu', 'the principal');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, parties: { subjects, homeroom, principal } };
}

interface ResolvedKeys<K> {
  subjectTeachers: Record<string, K>;
  homeroom: K;
  principal: K;
  school: K;
}

function holdersOf(parties: Parties): NonNullable<SignJob['holders']> {
  const holder = (p: Party): KeyHolder => ({ role: p.role, personalId: p.personalId });
  return {
    subjectTeachers: Object.fromEntries(parties.subjects.map((s) => [s.mamonhoc, holder(s)])),
    homeroom: holder(parties.homeroom),
    principal: holder(parties.principal),
    school: SCHOOL_SIGNER,
  };
}

/**
 * Looks up every party's key. A key the store does not have (or cannot open) is a ConfigError, thrown
 * naming every such key at once, not only the first; an id that cannot name a key is the record's
 * error, returned with every other one.
 */
async function resolveKeys<K>(
  parties: Parties,
  record: string,
  lookup: (personalId: string, context: KeyRequestContext) => Promise<K>,
  school: () => Promise<K>,
): Promise<{ ok: true; keys: ResolvedKeys<K> } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const config: LienthongError[] = [];
  const get = async (find: () => Promise<K>): Promise<K | undefined> => {
    try {
      return await find();
    } catch (err) {
      if (err instanceof LienthongError && err.kind === 'config') config.push(err);
      else errors.push(fieldErrorFrom(err));
      return undefined;
    }
  };
  const person = (p: Party) => get(() => lookup(p.personalId, { field: p.field, record, role: p.role }));
  const [subjects, homeroom, principal, seal] = await Promise.all([
    Promise.all(parties.subjects.map(async (s) => [s.mamonhoc, await person(s)] as const)),
    person(parties.homeroom),
    person(parties.principal),
    get(school),
  ]);
  const first = config[0];
  if (first) {
    // one person may sign several parts (a teacher of two subjects, also the homeroom teacher): named once
    const messages = [...new Set(config.map((e) => e.message))];
    const message = messages.length === 1 ? first.message : `${messages.length} signing keys cannot be used: ${messages.join('; ')}`;
    throw new ConfigError(first.code, message, { ...first.context, record }, { cause: first });
  }
  const subjectTeachers: Record<string, K> = {};
  for (const [mamonhoc, key] of subjects) if (key !== undefined) subjectTeachers[mamonhoc] = key;
  if (errors.length > 0 || homeroom === undefined || principal === undefined || seal === undefined) return { ok: false, errors };
  return { ok: true, keys: { subjectTeachers, homeroom, principal, school: seal } };
}


