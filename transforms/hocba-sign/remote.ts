/**
 * `hocba-sign` with `signing: { mode: remote }`: no teacher's or principal's key is held here. Each
 * run, for a changed school record, the transformer
 *
 *   - builds the unsigned XML; the SHA-256 of it is the content the signing state was built from;
 *   - with no signing state yet: prepares the subject teachers' signatures (two-phase.ts: the
 *     signature is in the document with an empty value, its digest kept as an item to send) and
 *     answers `waiting`;
 *   - with a state for older content (the school changed a score): carries over every signature the
 *     change does not touch (invalidation.ts) and re-prepares only the others;
 *   - with a state for this content: once every prepared signature has its value (collected by
 *     src/services/signing.ts, which writes them in and verifies them), prepares the next role
 *     (subject teachers → homeroom → principal, each signing time later than the ones before), and
 *     when the principal's is in, seals with the school's key (the one key lienthong may hold),
 *     verifies the whole document against the trusted CAs and answers it as the record's `tailieu`;
 *   - a record a signer returned stays held back with their reason until the data changes or staff
 *     ask again (`lienthong signing retry`).
 *
 * Requests are not sent here: dispatchSigning groups the prepared items per signer, class and role.
 */
import { ConfigError, LienthongError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/hash.js';
import type { FieldError } from '../../src/core/records.js';
import { maskPersonalId, maskPersonalIdsInText } from '../../src/core/redact.js';
import type { AwaitedSigner, RecordSigning, RecordTransformer, TransformInput, TransformResult } from '../../src/core/transform.js';
import type { AwaitedSignerRow, SigningItem } from '../../src/store/signing-store.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { validateHocBaXml } from '../../documents/hocba/validate.js';
import { buildHocBaXml } from '../../documents/hocba/xml.js';
import type { HocBaSigningStep } from '../../documents/xmldsig/hocba-steps.js';
import { carryOverSignatures, signaturesAffectedByChange } from '../../documents/xmldsig/invalidation.js';
import { sealAndVerifyBuiltHocBa } from '../../documents/xmldsig/seal-built.js';
import type { Signer } from '../../documents/xmldsig/signer.js';
import { prepareSignature, signatureIdOf } from '../../documents/xmldsig/two-phase.js';
import type { RemoteSigners } from './remote-signers.js';
import { collectSigning, dispatchSigning, withValuesWritten, type SigningEnv } from './remote-workflow.js';
import { keepSignedVersionOrError, safeFileName } from './documents.js';
import { fieldErrorFrom, sealedPdfOf, type PdfSealKey } from './sign-record.js';
import { partiesOf, recordOf, type Parties } from './transformer.js';

export interface RemoteSigningTransformerOptions {
  /** the job whose records these are (the signing state is kept per job) */
  job: string;
  store: SigningEnv['store'];
  signers: RemoteSigners;
  /** the school's seal: a PKCS#12 file or a token (keystore.ts, seal.ts) */
  seal: () => Promise<Signer>;
  /** every CA the finished document must chain to: the seal's and the signing service's */
  trustedCaPems: readonly string[];
  clock?: () => Date;
  /** requests wait for approval in the console or the CLI before they go to the signers' phones */
  review?: boolean;
  /** how long the collect before a run waits for one pending decision (default 2 s) */
  collectWaitMs?: number;
  /** called after close() */
  onClose?: () => Promise<void> | void;
  /**
   * `documentsDir`: the sealed XML and its PDF rendition are kept there, every version (documents.ts),
   * the PDF made from the final document (read back from it once sealed and verified) and sealed with
   * the school's PKCS#12 key
   */
  documents?: { dir: string; pdfSeal: () => Promise<PdfSealKey> };
}

/**
 * A subject whose teacher has left, signed by the principal (KyThay): one role for all such subjects
 * of a class, so the principal gets one request per class for them, in the subject stage.
 */
export const SUBJECT_IN_PLACE_ROLE = 'subject-in-place';

/** `subject:<mamonhoc>`, `subject-in-place`, `homeroom`, `principal`: how a request, an item and the CLI name a role */
export function roleOf(step: HocBaSigningStep): string {
  if (step.role === 'subject') return step.signedBy === 'principal' ? SUBJECT_IN_PLACE_ROLE : `subject:${step.mamonhoc}`;
  return step.role;
}

/** `<school>/<class>/<year>`: requests are made per signer, class and role */
export function classKeyOf(data: HocBaThcsThpt): string {
  const d = data as unknown as Record<string, unknown>;
  return `${String(d['matruong'] ?? '')}/${String(d['tenlop'] ?? '')}/${String(d['namhoc'] ?? '')}`;
}

interface PlannedStep {
  step: HocBaSigningStep;
  signerId: string;
}

/**
 * The signing order as stages: every subject teacher (the principal for a subject whose teacher has
 * left, as the source says: `signing.subjectsSignedByPrincipal`), then the homeroom teacher, then the
 * principal.
 */
function stagesOf(parties: Parties, signing: RecordSigning | undefined): PlannedStep[][] {
  const inPlace = new Set(signing?.subjectsSignedByPrincipal ?? []);
  return [
    parties.subjects.map((s) =>
      inPlace.has(s.mamonhoc)
        ? { step: { role: 'subject', mamonhoc: s.mamonhoc, signedBy: 'principal' } as HocBaSigningStep, signerId: parties.principal.personalId }
        : { step: { role: 'subject', mamonhoc: s.mamonhoc } as HocBaSigningStep, signerId: s.personalId },
    ),
    [{ step: { role: 'homeroom' }, signerId: parties.homeroom.personalId }],
    [{ step: { role: 'principal' }, signerId: parties.principal.personalId }],
  ];
}

export class RemoteSigningTransformer implements RecordTransformer {
  readonly name = 'hocba-sign (remote signing)';
  readonly #o: RemoteSigningTransformerOptions;
  readonly #clock: () => Date;
  /** records of this run held because the signing service did not answer while preparing them */
  #unreachable = { records: 0, codes: new Set<string>() };

  constructor(options: RemoteSigningTransformerOptions) {
    if (options.trustedCaPems.length === 0) throw new ConfigError('HOCBA_SIGN_NO_TRUST', 'hocba-sign needs at least one trusted CA certificate');
    this.#o = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  async transform(input: TransformInput): Promise<TransformResult> {
    try {
      if (this.#o.documents && !safeFileName(input.idbanghi)) {
        return { ok: false, errors: [{ field: 'idbanghi', code: 'DOCUMENT_NAME_INVALID', message: 'the record id cannot be used as a file name (path separators or a leading dot)' }] };
      }
      const record = recordOf(input);
      if (!record.ok) return record;
      const parties = partiesOf(record.data);
      if (!parties.ok) return parties;
      let unsigned: string;
      try {
        unsigned = buildHocBaXml(record.data);
      } catch (err) {
        return { ok: false, errors: [fieldErrorFrom(err)] };
      }
      const schema = await validateHocBaXml(unsigned);
      if (!schema.valid) return { ok: false, errors: [{ field: 'tailieu', code: 'SCHEMA_INVALID', message: `the document does not match the học bạ XSD: ${schema.errors.slice(0, 3).join('; ')}` }] };
      return await this.#advance(input, record.data, parties.parties, unsigned);
    } catch (err) {
      if (err instanceof LienthongError && (err.kind === 'config' || err.kind === 'bug' || err.kind === 'transient')) throw err;
      return { ok: false, errors: [fieldErrorFrom(err)] };
    }
  }

  async #advance(input: TransformInput, data: HocBaThcsThpt, parties: Parties, unsigned: string): Promise<TransformResult> {
    const { store, job } = this.#o;
    const contentHash = sha256Hex(Buffer.from(unsigned, 'utf8'));
    const existing = await store.getSigningDocument(job, input.idbanghi);
    let xml = unsigned;
    let items: SigningItem[] = [];
    if (existing && existing.contentHash === contentHash) {
      if (existing.state === 'returned') return returned(existing.reason, existing.awaiting);
      items = await store.signingItemsFor(job, input.idbanghi);
      // values approved while the record was returned to the school are in its items, not yet in it
      xml = await withValuesWritten(existing.xml, items);
    } else if (existing) {
      // the data changed after some signatures: keep those the change does not touch
      const dropped = new Set(await signaturesAffectedByChange(existing.xml, unsigned));
      items = (await store.signingItemsFor(job, input.idbanghi)).filter((i) => !dropped.has(i.signatureId));
      xml = await carryOverSignatures(await withValuesWritten(existing.xml, items), unsigned);
    }

    const classKey = classKeyOf(data);
    const byId = new Map(items.map((i) => [i.signatureId, i]));
    const stages = stagesOf(parties, input.signing);
    const replanned = stages.flat().some((p) => {
      const had = byId.get(signatureIdOf(p.step));
      return had !== undefined && had.signerId !== p.signerId;
    });
    if (replanned) {
      // who signs a subject changed at the source (its teacher left, or the flag was a mistake): the
      // signatures made for the old plan are not this record's, so it is signed again from the start
      xml = unsigned;
      byId.clear();
    }
    for (const stage of stages) {
      const missing = stage.filter((p) => !byId.has(signatureIdOf(p.step)));
      const pending = stage.filter((p) => byId.get(signatureIdOf(p.step))?.signatureValue === null);
      if (missing.length === 0 && pending.length === 0) continue;
      // this stage is the current one: prepare what it lacks, at one signing time after the stages before
      const signingTime = this.#clock();
      for (const p of missing) {
        const signer = await this.#signerOrUnreachable(p.signerId);
        if (signer === 'unreachable') {
          // nothing of this stage is stored: the next run prepares it from the same state
          return { ok: 'waiting', awaiting: stage.map((s) => masked({ role: roleOf(s.step), signerId: s.signerId })) };
        }
        const prepared = await prepareSignature(xml, p.step, { certificatePem: signer.certificatePem, chainPem: signer.chainPem, signingTime, schemaValidated: true });
        xml = prepared.xml;
        const item: SigningItem = { job, idbanghi: input.idbanghi, signatureId: prepared.signatureId, classKey, role: roleOf(p.step), signerId: p.signerId, digest: prepared.digest.toString('base64'), requestId: null, signatureValue: null };
        byId.set(item.signatureId, item);
      }
      const awaiting = [...missing, ...pending].map((p) => ({ role: roleOf(p.step), signerId: p.signerId }));
      const all = [...byId.values()];
      await store.putSigningItems(job, input.idbanghi, all.map(({ signatureId, classKey: c, role, signerId, digest }) => ({ signatureId, classKey: c, role, signerId, digest })));
      await store.putSigningDocument({ job, idbanghi: input.idbanghi, contentHash, phienban: input.phienban, xml, state: 'awaiting', awaiting, reason: null });
      return { ok: 'waiting', awaiting: awaiting.map(masked) };
    }

    // every person signed: the school seals, and nothing leaves that an independent check refuses
    await store.putSigningDocument({ job, idbanghi: input.idbanghi, contentHash, phienban: input.phienban, xml, state: 'complete', awaiting: [], reason: null });
    const signingTime = this.#clock();
    // the unsigned document passed the XSD in this transform (its hash is the state's) and only
    // signatures went in since: sealed and verified on its text (seal-built.ts, builtHere), every
    // signature's references, value, certificate chain, signer and signing time checked again
    const { xml: sealed, verified } = await sealAndVerifyBuiltHocBa(xml, await this.#o.seal(), signingTime, this.#o.trustedCaPems);
    if (!verified.valid || !verified.data) return { ok: false, errors: [{ field: 'tailieu', code: 'SIGNATURE_UNVERIFIED', message: `the signed document does not verify: ${verified.errors.slice(0, 3).join('; ')}` }] };
    const bytes = Buffer.from(sealed, 'utf8');
    const { documents } = this.#o;
    if (documents) {
      // the PDF says what the sealed XML says: it is made from the data read back from it
      const pdf = await sealedPdfOf(verified.data, await documents.pdfSeal(), signingTime);
      if (!pdf.ok) return pdf;
      const written = await keepSignedVersionOrError(documents.dir, input.idbanghi, input.phienban, bytes, pdf.pdf, signingTime);
      if (written) return { ok: false, errors: [written] };
    }
    return { ok: true, tailieu: { dinhdang: 'xml', noidung: bytes.toString('base64'), sha256: sha256Hex(bytes) } };
  }

  /**
   * The checked signer, or `unreachable` when the signing service did not answer (down, timing out,
   * 5xx past the client's retries): the record is not bad data, it waits like one whose signer has not
   * approved yet, and the run's summary says why (afterRun).
   */
  async #signerOrUnreachable(signerId: string): Promise<Awaited<ReturnType<RemoteSigners['signerFor']>> | 'unreachable'> {
    try {
      return await this.#o.signers.signerFor(signerId);
    } catch (err) {
      if (!(err instanceof LienthongError) || err.kind !== 'transient') throw err;
      this.#unreachable.records += 1;
      this.#unreachable.codes.add(err.code);
      return 'unreachable';
    }
  }

  /** before the records: the decisions taken since the last run, their values written into the documents */
  async beforeRun(): Promise<string[]> {
    this.#unreachable = { records: 0, codes: new Set() };
    return this.#aroundRun('collecting', async () => {
      const c = await collectSigning(this.#env(), this.#o.job);
      const notes = [`remote signing: ${c.approved} request(s) approved, ${c.rejected} rejected, ${c.expired} expired, ${c.pending} still waiting; ${c.documentsReady} record(s) ready to seal`];
      for (const f of c.failures) notes.push(`remote signing: a returned signature of ${f.idbanghi} does not verify and was not written (${f.message})`);
      return notes;
    });
  }

  /** after the records: the signatures prepared in this run go out, one request per signer, class and role */
  async afterRun(): Promise<string[]> {
    const unreachable = this.#unreachable;
    this.#unreachable = { records: 0, codes: new Set() };
    const held =
      unreachable.records > 0
        ? [
            `remote signing: signing service unreachable (${[...unreachable.codes].join(', ')}): ${unreachable.records} record(s) could not be prepared and wait for the next run (not invalid); check the service with lienthong check, then run the job again`,
          ]
        : [];
    return [...held, ...(await this.#dispatchNotes())];
  }

  async #dispatchNotes(): Promise<string[]> {
    return this.#aroundRun('sending requests', async () => {
      const d = await dispatchSigning(this.#env(), this.#o.job);
      const notes = d.requests.length > 0 ? [`remote signing: ${d.requests.length} request(s) ${this.#o.review ? 'waiting for review (lienthong signing status)' : 'sent to the signers'}`] : [];
      for (const r of d.refused) notes.push(`remote signing: signer ${r.signer} (${r.role}, ${r.classKey}) not asked: ${r.code}: ${r.message}`);
      return notes;
    });
  }

  /** the signing service down for a while does not stop the run: records wait, the next run goes on */
  async #aroundRun(what: string, work: () => Promise<string[]>): Promise<string[]> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof LienthongError && err.kind === 'transient') return [`remote signing: ${what} failed for now (${err.code}); the next run tries again`];
      throw err;
    }
  }

  /** what dispatch, collect, approve, return and retry work with (the CLI and the console use it too) */
  signingEnv(): SigningEnv {
    return this.#env();
  }

  #env(): SigningEnv {
    return { store: this.#o.store, signers: this.#o.signers, review: this.#o.review ?? false, maxWaitMs: this.#o.collectWaitMs ?? 2000 };
  }

  async close(): Promise<void> {
    await this.#o.onClose?.();
  }
}

function masked(a: AwaitedSignerRow): AwaitedSigner {
  return { role: a.role, maskedId: maskPersonalId(a.signerId) };
}

/** A record a signer returned: held back with their reason, as the school must act on it. */
function returned(reason: string | null, awaiting: AwaitedSignerRow[]): TransformResult {
  const who = awaiting.map((a) => `${a.role} (${maskPersonalId(a.signerId)})`).join(', ');
  const error: FieldError = { field: 'tailieu', code: 'SIGNING_RETURNED', message: `returned by ${who || 'a signer'}: ${maskPersonalIdsInText(reason ?? 'no reason given')}; fix the record or ask again with lienthong signing retry` };
  return { ok: false, errors: [error] };
}
