/**
 * What a certificate shows, as plain data: the holder, their course results and the template. The
 * reader (uis-reader.ts) fills it from the UIS, the renderer (src/certificates/pdf.ts)
 * draws it; neither knows the other.
 */

import type { CimLanguage, CimTemplate, LayoutKind } from '../cim/templates.js';

export type CertificateLanguage = CimLanguage;

/** A template as the certificate service needs it: an entry of the registry (src/cim/templates.ts). */
export interface CertificateTemplate {
  templateCode: string;
  title: { vi: string; en: string };
  /** the owner unit's code (the fees report's unit) and name */
  ownerUnit: string;
  ownerUnitName: { vi: string; en: string };
  languages: readonly CertificateLanguage[];
  feeVnd: number;
  layoutVersion: number;
  active: boolean;
  layout: {
    kind: LayoutKind;
    /** the printed title, the paragraph (with {placeholders}) and the signer's title block, per language */
    heading: Partial<Record<CertificateLanguage, string>>;
    body?: Partial<Record<CertificateLanguage, string>>;
    signerTitle: Partial<Record<CertificateLanguage, string>>;
    validityDays?: number;
  };
}

/** The registry's template as the service's. */
export function certificateTemplateOf(t: CimTemplate): CertificateTemplate {
  return {
    templateCode: t.code,
    title: t.title,
    ownerUnit: t.ownerUnit.code,
    ownerUnitName: t.ownerUnit.name,
    languages: t.languages,
    feeVnd: t.feeVnd,
    layoutVersion: t.layoutVersion,
    active: t.active,
    layout: {
      kind: t.layout.kind,
      heading: t.layout.heading,
      ...(t.layout.body === undefined ? {} : { body: t.layout.body }),
      signerTitle: t.layout.signerTitle,
      ...(t.layout.validityDays === undefined ? {} : { validityDays: t.layout.validityDays }),
    },
  };
}

export interface CourseResult {
  courseCode: string;
  courseName: string;
  courseNameEn: string;
  credits: number;
  /** 10-point score, one decimal */
  score10: string;
  /** 4-point value and letter, from the grading scale */
  score4: string;
  letter: string;
  semester: string | null;
}

export interface StudentRecord {
  studentId: string;
  fullName: string;
  /** YYYY-MM-DD (or YYYY-MM / YYYY when the UIS knows no more) */
  birthDate: string;
  programme: string;
  faculty: string;
  cohort: string;
  status: string;
  /** the status in English when the UIS has it (`status_en`); else `status` is printed */
  statusEn: string | null;
  graduationDecision: string | null;
  graduationDate: string | null;
  courses: CourseResult[];
  /** credit-weighted averages over the courses, two decimals; null without courses */
  gpa4: string | null;
  gpa10: string | null;
  totalCredits: number;
  /** from the GPA on the 4-point scale (TT 08/2021), or the UIS's own classification for a graduate */
  classification: string | null;
}

/** The issuing side: who issues, where, who signs. */
export interface CertificateIssuer {
  university: { vi: string; en: string };
  place: { vi: string; en: string };
  /** the signer's name; the title comes from the template (else `defaultTitle`) */
  signer: { name: string; title: { vi: string; en: string } };
}

/** Everything one certificate PDF shows. */
export interface CertificateContent {
  certificateNo: string;
  template: CertificateTemplate;
  language: CertificateLanguage;
  student: StudentRecord;
  issuer: CertificateIssuer;
  issuedAt: Date;
  verificationCode: string;
  verifyUrl: string;
  /** set when the UIS was down and the last data read was used: the certificate says so */
  dataFromSnapshotAt: string | null;
}
