/**
 * The review before signing in the console (issue 12, docs/signing.md#review-before-signing): which
 * signing requests an account may see, and exactly the data a request's signatures cover, read
 * from the documents the workflow prepared (the XML in the store is what is signed).
 *
 * An account is matched to the requests that name it by the keyed subject hash of its personal id
 * (the users table keeps the hash, never the id): the hash of each request's signer id is computed
 * with the same store key and compared. A signature is the person's whatever their role in a
 * class, so a homeroom teacher who also teaches maths sees both requests with one account.
 */
import { ConfigError, DataError } from '../core/errors.js';
import { maskPersonalId, maskPersonalIdsInText } from '../core/redact.js';
import { subjectHash } from '../core/subject-hash.js';
import { isSignerRole, type Role } from '../store/console-store.js';
import type { SigningRequest, SigningRequestState } from '../store/signing-store.js';
import { SUBJECT_IN_PLACE_ROLE } from '../../transforms/hocba-sign/remote.js';
import { readUnverifiedHocBaXml } from '../../documents/hocba/xml.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import type { ServiceContext } from './context.js';

/** who asks: an account's name and role, and for a signer the hash of their personal id */
export interface Reviewer {
  username: string;
  role: Role;
  personalIdHash: string | null;
}

export interface ReviewRequestView {
  id: string;
  job: string;
  classKey: string;
  school: string;
  className: string;
  year: string;
  /** `subject:<mamonhoc>`, `homeroom` or `principal` */
  role: string;
  /** the subject's code for a subject teacher's request, else null */
  subject: string | null;
  /** the signer's personal id, masked */
  signer: string;
  state: SigningRequestState;
  items: number;
  description: string;
  createdAt: string;
  expiresAt: string | null;
  reason: string | null;
  /** whether this account may approve it (the signer it names, while in review) */
  canApprove: boolean;
  /** whether this account may return it (the signer, or an operator or admin, while in review) */
  canReturn: boolean;
}

/** a subject teacher's part: their subject's scores and comment, per pupil */
export interface SubjectRow {
  idbanghi: string;
  pupil: string;
  subjectName: string;
  diemhocky1: string | null;
  diemhocky2: string | null;
  diemcanam: string | null;
  diemkttralai: string | null;
  nxetmonhoc: string | null;
}

/** the homeroom teacher's part: the year's results and comments (KetQua), per pupil */
export interface ResultRow {
  idbanghi: string;
  pupil: string;
  results: Record<string, string | number | null>;
}

export interface Anomaly {
  idbanghi: string;
  pupil: string;
  code: string;
  field: string;
  message: string;
}

/** the principal's part: the whole class at a glance, and every anomaly the checks found */
export interface ClassSummary {
  pupils: number;
  promoted: number;
  /** year learning result (canam) level → pupils */
  learning: Record<string, number>;
  /** year conduct result (renluyencanam) level → pupils */
  conduct: Record<string, number>;
  /** per subject: how many pupils have a year score, its mean (2 decimals), how many a comment-only level */
  subjects: { code: string; name: string; scored: number; mean: number | null; levels: Record<string, number> }[];
  anomalies: Anomaly[];
}

export interface ReviewDetail {
  request: ReviewRequestView;
  /** `subject`, `homeroom` or `principal`: which of the three below is filled */
  kind: 'subject' | 'homeroom' | 'principal';
  subjectRows: SubjectRow[];
  resultRows: ResultRow[];
  summary: ClassSummary | null;
}

/** the KetQua fields the homeroom teacher signs, in the document's order */
export const RESULT_FIELDS = [
  'hocky1', 'hocky2', 'canam', 'renluyenhocky1', 'renluyenhocky2', 'renluyencanam', 'renluyenlai', 'kqhoctaplai',
  'sobuoinghi', 'duoclenlop', 'ndungduoclenlop', 'ndunghoanthanh', 'kquathamgiacuocthi', 'ndungkquarenluyen', 'ndungkhenthuong', 'nxetgvcn',
] as const;

const isOperator = (role: Role): boolean => role === 'operator' || role === 'admin';

async function ownerTest(ctx: ServiceContext): Promise<(request: SigningRequest, reviewer: Reviewer) => boolean> {
  const key = await ctx.store.subjectKey();
  return (request, reviewer) => reviewer.personalIdHash !== null && subjectHash(key, request.signerId) === reviewer.personalIdHash;
}

function view(r: SigningRequest, own: boolean, reviewer: Reviewer): ReviewRequestView {
  const [school = '', className = '', year = ''] = r.classKey.split('/');
  const open = r.state === 'review';
  return {
    id: r.id,
    job: r.job,
    classKey: r.classKey,
    school,
    className,
    year,
    role: r.role,
    subject: r.role.startsWith('subject:') ? r.role.slice('subject:'.length) : null,
    signer: maskPersonalId(r.signerId),
    state: r.state,
    items: r.items,
    description: r.description,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    reason: r.reason === null ? null : maskPersonalIdsInText(r.reason),
    canApprove: open && own,
    canReturn: open && (own || isOperator(reviewer.role)),
  };
}

/**
 * The requests an account may see, in class, role order: a signer their own waiting for review;
 * an operator or admin every request, filtered by job and state.
 */
export async function reviewRequests(ctx: ServiceContext, reviewer: Reviewer, filter: { job?: string; state?: SigningRequestState[] } = {}): Promise<ReviewRequestView[]> {
  const signer = isSignerRole(reviewer.role);
  if (!signer && !isOperator(reviewer.role)) throw new ConfigError('FORBIDDEN', 'the review needs a signer account or the operator role', {});
  const owns = await ownerTest(ctx);
  const jobs = filter.job !== undefined ? [filter.job] : [...ctx.loaded.jobs.keys()];
  if (filter.job !== undefined && !ctx.loaded.jobs.has(filter.job)) throw new ConfigError('JOB_NOT_FOUND', `no job named ${filter.job}`, { job: filter.job });
  const states: SigningRequestState[] | undefined = signer ? ['review'] : filter.state;
  const result: ReviewRequestView[] = [];
  for (const job of jobs) {
    for (const r of await ctx.store.signingRequests(job, states ? { state: states } : {})) {
      const own = owns(r, reviewer);
      if (signer && !own) continue;
      result.push(view(r, own, reviewer));
    }
  }
  return result.sort((a, b) => a.classKey.localeCompare(b.classKey) || a.role.localeCompare(b.role) || a.createdAt.localeCompare(b.createdAt));
}

/** the request, when this account may see it: its signer, or an operator or admin */
export async function reviewableRequest(ctx: ServiceContext, reviewer: Reviewer, id: string): Promise<{ request: SigningRequest; view: ReviewRequestView; own: boolean }> {
  const request = await ctx.store.getSigningRequest(id);
  if (!request) throw new DataError('SIGNING_REQUEST_NOT_FOUND', `no signing request ${id}`, { request: id });
  const own = (await ownerTest(ctx))(request, reviewer);
  if (!own && !isOperator(reviewer.role)) throw new ConfigError('SIGNING_REQUEST_NOT_YOURS', 'this signing request names another signer', { request: id });
  return { request, view: view(request, own, reviewer), own };
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/** The pupils of a request with the data of their documents as prepared (what the digests cover). */
async function pupilsOf(ctx: ServiceContext, request: SigningRequest): Promise<{ idbanghi: string; data: HocBaThcsThpt }[]> {
  const items = await ctx.store.signingItemsOf(request.id);
  const pupils: { idbanghi: string; data: HocBaThcsThpt }[] = [];
  for (const idbanghi of [...new Set(items.map((i) => i.idbanghi))]) {
    const doc = await ctx.store.getSigningDocument(request.job, idbanghi);
    if (doc === null) continue;
    pupils.push({ idbanghi, data: readUnverifiedHocBaXml(doc.xml) });
  }
  return pupils.sort((a, b) => a.data.hovaten.localeCompare(b.data.hovaten, 'vi') || a.idbanghi.localeCompare(b.idbanghi));
}

function subjectRows(pupils: { idbanghi: string; data: HocBaThcsThpt }[], code: string): SubjectRow[] {
  return pupils.map(({ idbanghi, data }) => {
    const mon = data.bangdiem.find((b) => b.mamonhoc === code);
    return {
      idbanghi,
      pupil: data.hovaten,
      subjectName: mon?.tenmonhoc ?? code,
      diemhocky1: text(mon?.diemhocky1),
      diemhocky2: text(mon?.diemhocky2),
      diemcanam: text(mon?.diemcanam),
      diemkttralai: text(mon?.diemkttralai),
      nxetmonhoc: text(mon?.nxetmonhoc),
    };
  });
}

function resultRows(pupils: { idbanghi: string; data: HocBaThcsThpt }[]): ResultRow[] {
  return pupils.map(({ idbanghi, data }) => {
    const record = data as unknown as Record<string, unknown>;
    const results: Record<string, string | number | null> = {};
    for (const field of RESULT_FIELDS) {
      const v = record[field];
      results[field] = typeof v === 'number' ? v : text(v);
    }
    return { idbanghi, pupil: data.hovaten, results };
  });
}

const count = (into: Record<string, number>, key: string | null): void => {
  if (key !== null) into[key] = (into[key] ?? 0) + 1;
};

async function classSummary(ctx: ServiceContext, job: string, pupils: { idbanghi: string; data: HocBaThcsThpt }[]): Promise<ClassSummary> {
  const learning: Record<string, number> = {};
  const conduct: Record<string, number> = {};
  const subjects = new Map<string, { code: string; name: string; scored: number; sum: number; levels: Record<string, number> }>();
  const anomalies: Anomaly[] = [];
  let promoted = 0;
  for (const { idbanghi, data } of pupils) {
    count(learning, text(data.canam));
    count(conduct, text(data.renluyencanam));
    if (Number(data.duoclenlop) === 1) promoted++;
    for (const mon of data.bangdiem) {
      const entry = subjects.get(mon.mamonhoc) ?? { code: mon.mamonhoc, name: mon.tenmonhoc, scored: 0, sum: 0, levels: {} };
      const year = text(mon.diemcanam);
      const score = year === null ? NaN : Number(year);
      if (Number.isFinite(score)) {
        entry.scored++;
        entry.sum += score;
      } else {
        count(entry.levels, year);
      }
      if (year === null) anomalies.push({ idbanghi, pupil: data.hovaten, code: 'SUBJECT_YEAR_RESULT_MISSING', field: `bangdiem.${mon.mamonhoc}.diemcanam`, message: `no year result in ${mon.tenmonhoc}` });
      subjects.set(mon.mamonhoc, entry);
    }
    if (text(data.canam) === null) anomalies.push({ idbanghi, pupil: data.hovaten, code: 'YEAR_RESULT_MISSING', field: 'canam', message: 'no year learning result' });
  }
  // what the mapping found when it read the records (Thông tư 22 checks: a stored result that
  // disagrees with the one computed from the scores, a number of regular tests that does not fit…)
  const names = new Map(pupils.map((p) => [p.idbanghi, p.data.hovaten]));
  for await (const row of ctx.store.listWarnings(job)) {
    const pupil = row.idbanghi === null ? undefined : names.get(row.idbanghi);
    if (pupil === undefined || row.idbanghi === null) continue;
    for (const w of row.warnings) anomalies.push({ idbanghi: row.idbanghi, pupil, code: w.code, field: w.field, message: maskPersonalIdsInText(w.message) });
  }
  return {
    pupils: pupils.length,
    promoted,
    learning,
    conduct,
    subjects: [...subjects.values()]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((s) => ({ code: s.code, name: s.name, scored: s.scored, mean: s.scored === 0 ? null : Math.round((s.sum / s.scored) * 100) / 100, levels: s.levels })),
    anomalies: anomalies.sort((a, b) => a.pupil.localeCompare(b.pupil, 'vi') || a.field.localeCompare(b.field)),
  };
}

/** Exactly what the request's signatures cover, by its role. */
export async function reviewDetail(ctx: ServiceContext, reviewer: Reviewer, id: string): Promise<ReviewDetail> {
  const { request, view: requestView } = await reviewableRequest(ctx, reviewer, id);
  const pupils = await pupilsOf(ctx, request);
  if (request.role === SUBJECT_IN_PLACE_ROLE) {
    // the principal signs, in their teachers' place, the subjects whose teacher has left: per such
    // subject (named by the signatures the request carries) the scores of every pupil
    const codes = [...new Set((await ctx.store.signingItemsOf(request.id)).map((i) => i.signatureId.replace(/^sig-gvbm-/, '')))].sort();
    return { request: requestView, kind: 'subject', subjectRows: codes.flatMap((code) => subjectRows(pupils, code)), resultRows: [], summary: null };
  }
  if (requestView.subject !== null) return { request: requestView, kind: 'subject', subjectRows: subjectRows(pupils, requestView.subject), resultRows: [], summary: null };
  if (request.role === 'homeroom') return { request: requestView, kind: 'homeroom', subjectRows: [], resultRows: resultRows(pupils), summary: null };
  return { request: requestView, kind: 'principal', subjectRows: [], resultRows: resultRows(pupils), summary: await classSummary(ctx, request.job, pupils) };
}

/** A record a signer (or an operator in review) returned to the school, waiting for a fix or a retry. */
export interface ReturnedRecordView {
  job: string;
  idbanghi: string;
  pupil: string;
  className: string;
  /** the request's role that returned it (`subject:TOA`, `homeroom`, `principal`) */
  role: string;
  /** the signer who returned it, masked */
  signer: string;
  reason: string | null;
  updatedAt: string;
}

/** The returned records of every job (or one), for operators: each can be asked again (retry). */
export async function returnedRecords(ctx: ServiceContext, job?: string): Promise<ReturnedRecordView[]> {
  if (job !== undefined && !ctx.loaded.jobs.has(job)) throw new ConfigError('JOB_NOT_FOUND', `no job named ${job}`, { job });
  const out: ReturnedRecordView[] = [];
  for (const name of job !== undefined ? [job] : [...ctx.loaded.jobs.keys()]) {
    for (const doc of await ctx.store.signingDocuments(name, ['returned'])) {
      const data = readUnverifiedHocBaXml(doc.xml);
      const [by] = doc.awaiting;
      out.push({
        job: name,
        idbanghi: doc.idbanghi,
        pupil: data.hovaten,
        className: String((data as unknown as Record<string, unknown>)['tenlop'] ?? ''),
        role: by?.role ?? '',
        signer: by ? maskPersonalId(by.signerId) : '',
        reason: doc.reason === null ? null : maskPersonalIdsInText(doc.reason),
        updatedAt: doc.updatedAt,
      });
    }
  }
  return out.sort((a, b) => a.className.localeCompare(b.className, 'vi') || a.pupil.localeCompare(b.pupil, 'vi'));
}
