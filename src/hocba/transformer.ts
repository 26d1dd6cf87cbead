/**
 * The `hocba-sign` transformer: a mapped school record → its XML document signed by every subject
 * teacher, the homeroom teacher, the principal and the school (formats.md, "The signed XML
 * document"), checked by our own verifier, attached as `tailieu`. With `documentsDir` the signed XML
 * and the school-sealed PDF are kept there too, as `<idbanghi>.xml` / `<idbanghi>.pdf`.
 *
 * Signing runs in a worker_threads pool (sign-pool.ts) when the keys are files another thread can
 * open, in this thread otherwise. A record's problem is a result naming the field, never a throw.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { FieldError, JsonObject } from '../core/records.js';
import type { RecordTransformer, TransformInput, TransformResult } from '../core/transform.js';
import type { HocBaSigners } from '../signing/sign-hocba.js';
import type { HocBaThcsThpt } from './fields.js';
import type { KeyRequestContext, KeyStore } from './keystore.js';
import { SignPool, signWorkerFile } from './sign-pool.js';
import { fieldErrorFrom, signHocBaRecord, type SignRecordResult } from './sign-record.js';

export interface HocBaSigningTransformerOptions {
  keyStore: KeyStore;
  /** PEM certificates of the CAs the signed document must chain to */
  trustedCaPems: readonly string[];
  /** when set, `<idbanghi>.xml` and the sealed `<idbanghi>.pdf` are written here (atomically) */
  documentsDir?: string;
  /** the signing time; default now */
  clock?: () => Date;
  /** worker threads; 0 signs in this thread. Default: one per core but one, at least one */
  workers?: number;
}

export type SigningMode = 'worker-threads' | 'in-thread';

/** A party who signs, with the record field its personal id came from. */
interface Party {
  personalId: string;
  field: string;
}

interface Parties {
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
  #schoolP12: Promise<Buffer> | undefined;

  constructor(options: HocBaSigningTransformerOptions) {
    if (options.trustedCaPems.length === 0) throw new ConfigError('HOCBA_SIGN_NO_TRUST', 'hocba-sign needs at least one trusted CA certificate');
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
    try {
      if (this.#options.documentsDir !== undefined && !safeFileName(input.idbanghi)) {
        return { ok: false, errors: [{ field: 'idbanghi', code: 'DOCUMENT_NAME_INVALID', message: 'the record id cannot be used as a file name (path separators or a leading dot)' }] };
      }
      const record = recordOf(input);
      if (!record.ok) return record;
      const parties = partiesOf(record.data);
      if (!parties.ok) return parties;
      const signingTime = this.#clock();
      const result = this.#pool ? await this.#inPool(record.data, parties.parties, signingTime, input) : await this.#inThread(record.data, parties.parties, signingTime, input);
      if (!result.ok) return result;

      const xmlBytes = Buffer.from(result.xml, 'utf8');
      if (this.#options.documentsDir !== undefined) {
        if (!result.pdf) return { ok: false, errors: [{ field: 'tailieu.pdf', code: 'PDF_MISSING', message: 'the sealed PDF was not made' }] };
        const written = await this.#writeDocuments(this.#options.documentsDir, input.idbanghi, xmlBytes, result.pdf);
        if (written) return { ok: false, errors: [written] };
      }
      return { ok: true, tailieu: { dinhdang: 'xml', noidung: xmlBytes.toString('base64'), sha256: sha256Hex(xmlBytes) } };
    } catch (err) {
      return { ok: false, errors: [fieldErrorFrom(err)] };
    }
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }

  async #inThread(data: HocBaThcsThpt, parties: Parties, signingTime: Date, input: TransformInput): Promise<SignRecordResult> {
    const store = this.#options.keyStore;
    const keys = await resolveKeys(parties, input.idbanghi, (id, ctx) => store.signerFor(id, ctx), () => store.schoolSigner());
    if (!keys.ok) return keys;
    const signers: HocBaSigners = keys.keys;
    const pdfSeal = this.#options.documentsDir !== undefined ? await this.#pdfSealKey() : undefined;
    return signHocBaRecord(data, signers, { trustedCaPems: this.#options.trustedCaPems, signingTime, ...(pdfSeal ? { pdfSeal } : {}) });
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
      password: files.password,
      trustedCaPems: this.#options.trustedCaPems,
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

  async #writeDocuments(dir: string, idbanghi: string, xml: Buffer, pdf: Uint8Array): Promise<FieldError | undefined> {
    try {
      await mkdir(dir, { recursive: true });
      await writeAtomically(join(dir, `${idbanghi}.pdf`), pdf);
      await writeAtomically(join(dir, `${idbanghi}.xml`), xml);
      return undefined;
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unknown';
      return { field: 'tailieu', code: 'DOCUMENT_WRITE_FAILED', message: `the documents could not be written to the documents folder (${code})` };
    }
  }
}

/** The record as the document needs it: `idbanghi` is a document field, taken from the envelope if absent. */
function recordOf(input: TransformInput): { ok: true; data: HocBaThcsThpt } | { ok: false; errors: FieldError[] } {
  const own = input.data['idbanghi'];
  if (own !== undefined && own !== input.idbanghi) {
    return { ok: false, errors: [{ field: 'data.idbanghi', code: 'IDBANGHI_MISMATCH', message: 'data.idbanghi differs from the record id of the envelope' }] };
  }
  const data = (own === undefined ? { ...input.data, idbanghi: input.idbanghi } : input.data) as unknown as HocBaThcsThpt;
  return { ok: true, data };
}

/**
 * Who signs, read from the record with the field each id comes from. Shape problems other than a
 * missing id are left to buildHocBaXml, which names them.
 */
function partiesOf(data: HocBaThcsThpt): { ok: true; parties: Parties } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const idAt = (value: unknown, field: string, who: string): Party => {
    if (typeof value !== 'string' || value === '') errors.push({ field, code: 'SIGNER_ID_MISSING', message: `the personal id of ${who} is missing: no one to sign` });
    return { personalId: typeof value === 'string' ? value : '', field };
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

/** Looks up every party's key; every missing one is reported, not only the first. */
async function resolveKeys<K>(
  parties: Parties,
  record: string,
  lookup: (personalId: string, context: KeyRequestContext) => Promise<K>,
  school: () => Promise<K>,
): Promise<{ ok: true; keys: ResolvedKeys<K> } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const get = async (find: () => Promise<K>): Promise<K | undefined> => {
    try {
      return await find();
    } catch (err) {
      errors.push(fieldErrorFrom(err));
      return undefined;
    }
  };
  const person = (p: Party) => get(() => lookup(p.personalId, { field: p.field, record }));
  const [subjects, homeroom, principal, seal] = await Promise.all([
    Promise.all(parties.subjects.map(async (s) => [s.mamonhoc, await person(s)] as const)),
    person(parties.homeroom),
    person(parties.principal),
    get(school),
  ]);
  const subjectTeachers: Record<string, K> = {};
  for (const [mamonhoc, key] of subjects) if (key !== undefined) subjectTeachers[mamonhoc] = key;
  if (errors.length > 0 || homeroom === undefined || principal === undefined || seal === undefined) return { ok: false, errors };
  return { ok: true, keys: { subjectTeachers, homeroom, principal, school: seal } };
}

function safeFileName(name: string): boolean {
  return name !== '' && !name.startsWith('.') && !/[/\\\0]/.test(name) && name.length <= 200;
}

/** tmp + rename: a reader never sees half a document, and a crash leaves the old one whole. */
async function writeAtomically(path: string, content: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o640 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
