import { z } from 'zod';
import { secret } from '../core/plugin.js';

/** A text in both languages of the certificates. */
const bilingual = z.object({ vi: z.string().min(1), en: z.string().min(1) }).strict();

/**
 * `certificates:` in the main configuration: the CIM certificate service of `lienthong start`
 * (docs/cim.md#certificates). Optional: without it the service answers 503 CIM_NOT_CONFIGURED.
 */
export const certificatesConfigSchema = z
  .object({
    /** the public address the QR codes lead to: `<publicBaseUrl>/verify/<code>` */
    publicBaseUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    /** certificate numbers are `<numberPrefix>-<year>-<sequence>` */
    numberPrefix: z.string().regex(/^[A-Z0-9]{1,12}$/, 'upper-case letters and digits, at most 12').default('CIM'),
    university: bilingual,
    /** where certificates are issued (printed with the date) */
    place: bilingual,
    signer: z.object({ name: z.string().min(1), title: bilingual }).strict(),
    /** the university's certificate (PKCS#12) that signs the soft copies; path relative to the configuration file */
    seal: z.object({ p12: z.string().min(1), password: secret() }).strict(),
    /**
     * where the data comes from: a sql connection and two SELECTs. `students` gives one row per
     * student with the columns student_id, full_name, birth_date, programme, faculty, cohort, status
     * (and optionally graduation_decision, graduation_date, classification); `results` one row per
     * course result with student_id, course_code, course_name, course_name_en, credits, score10
     * (and optionally semester). Alias your columns to these names (`AS`).
     */
    uis: z
      .object({
        connection: z.string().min(1),
        students: z.string().min(1),
        results: z.string().min(1),
        /** the grading scale of the university (src/domain/grading.ts) */
        scale: z.enum(['tt08-2021', 'qd43-2007']).default('tt08-2021'),
      })
      .strict(),
    /** the certificate template registry, one YAML file per unit (docs/cim.md#templates); relative to the configuration file */
    templatesDir: z.string().min(1).default('templates/cim'),
    /** guesses of verification codes per address and minute before 429 */
    verifyRateLimit: z.object({ max: z.number().int().min(1).default(30), windowSeconds: z.number().int().min(1).default(60) }).strict().default({ max: 30, windowSeconds: 60 }),
  })
  .strict();

export type CertificatesConfig = z.output<typeof certificatesConfigSchema>;
export type CertificatesConfigInput = z.input<typeof certificatesConfigSchema>;
