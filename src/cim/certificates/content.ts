/**
 * What a certificate shows, as plain data: the holder, their course results and the template. The
 * reader (uis-reader.ts) fills it from the UIS, the renderer (documents/pdf/cim-certificate-pdf.ts)
 * draws it; neither knows the other.
 */

export type CertificateLanguage = 'vi' | 'en';
export const CERTIFICATE_LANGUAGES: readonly CertificateLanguage[] = ['vi', 'en'];

/** the layouts the renderer knows: the four templates of the contract use the first three */
export type CertificateLayout = 'transcript' | 'student-status' | 'graduation';
export const CERTIFICATE_LAYOUTS: readonly CertificateLayout[] = ['transcript', 'student-status', 'graduation'];

/** A template as the certificate service needs it (the registry's entry, config/templates/). */
export interface CertificateTemplate {
  templateCode: string;
  title: { vi: string; en: string };
  ownerUnit: string;
  languages: CertificateLanguage[];
  feeVnd: number;
  layout: CertificateLayout;
  layoutVersion: number;
  active: boolean;
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
