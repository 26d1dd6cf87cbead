/**
 * The registry of certificate templates (docs/cim.md#templates): one YAML file per unit under
 * config/templates/cim/, validated at load with errors naming the file and the field.
 *
 *   const registry = loadTemplateRegistry('config/templates/cim');
 *   registry.get('BANG_DIEM_TAM_THOI_VI')?.feeVnd   // 20000
 *   kioskTemplatePayload(template)                   // the body of PUT /api/v1/templates/{code}
 *
 * Why a folder of its own: config/templates/lienthong.yaml is the configuration `lienthong init`
 * copies, not a certificate template, and the loader reads every *.yaml it is given.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { parseYamlFile } from '../core/yaml-file.js';
import { ConfigError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';

export const CIM_LANGUAGES = ['vi', 'en'] as const;
export type CimLanguage = (typeof CIM_LANGUAGES)[number];

/** What a layout draws; the certificate renderer has one drawing per kind. */
export const LAYOUT_KINDS = ['transcript', 'status-confirmation', 'graduation-certificate', 'letter'] as const;
export type LayoutKind = (typeof LAYOUT_KINDS)[number];

/** The {placeholders} a layout's text may use. */
export const LAYOUT_PLACEHOLDERS = [
  'fullName',
  'birthDate',
  'studentId',
  'programme',
  'faculty',
  'cohort',
  'status',
  'certificateNo',
  'issueDate',
  'issuePlace',
  'gpa4',
  'gpa10',
  'creditsEarned',
  'classification',
  'graduationDecisionNo',
  'graduationDecisionDate',
  'validUntil',
] as const;

const text = z.string().trim().min(1);
const localized = z.object({ vi: text, en: text }).strict();
/** text in some of the languages (a template in one language needs only that one) */
const someLanguages = z.object({ vi: text.optional(), en: text.optional() }).strict();

const LayoutSchema = z
  .object({
    kind: z.enum(LAYOUT_KINDS),
    paper: z.enum(['A4', 'A5']).default('A4'),
    /** the title printed on the certificate, per language */
    heading: someLanguages,
    /** the paragraph under the holder's details, with {placeholders} */
    body: someLanguages.optional(),
    /** the signer's title block ("TL. HIỆU TRƯỞNG\nTRƯỞNG PHÒNG ĐÀO TẠO"), per language */
    signerTitle: someLanguages,
    /** a temporary certificate's validity, printed as {validUntil} */
    validityDays: z.number().int().positive().max(3650).optional(),
  })
  .strict();

const TemplateSchema = z
  .object({
    /** the code kiosks and requests use: upper case, digits and _ */
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'upper-case letters, digits and _ (e.g. BANG_DIEM_TAM_THOI_VI)'),
    title: localized,
    languages: z
      .array(z.enum(CIM_LANGUAGES))
      .min(1)
      .refine((l) => new Set(l).size === l.length, 'each language once'),
    /** the fee per certificate in đồng; 0 for free certificates (school records) */
    feeVnd: z.number().int().min(0).max(100_000_000),
    /** raise it whenever the layout changes: kiosks and issued certificates name it */
    layoutVersion: z.number().int().positive(),
    layout: LayoutSchema,
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const lang of t.languages) {
      for (const part of ['heading', 'signerTitle', 'body'] as const) {
        const value = t.layout[part];
        if (part === 'body' && value === undefined) continue;
        if (value?.[lang] === undefined) ctx.addIssue({ code: 'custom', path: ['layout', part, lang], message: `missing: the template is offered in "${lang}"` });
      }
    }
    for (const lang of CIM_LANGUAGES) {
      const body = t.layout.body?.[lang];
      if (body === undefined) continue;
      for (const match of body.matchAll(/\{([^{}]*)\}/g)) {
        const name = match[1] as string;
        if (!(LAYOUT_PLACEHOLDERS as readonly string[]).includes(name)) {
          ctx.addIssue({ code: 'custom', path: ['layout', 'body', lang], message: `unknown placeholder {${name}}; known: ${LAYOUT_PLACEHOLDERS.join(', ')}` });
        }
      }
      if (body.includes('{validUntil}') && t.layout.validityDays === undefined) {
        ctx.addIssue({ code: 'custom', path: ['layout', 'validityDays'], message: 'needed: the body prints {validUntil}' });
      }
    }
  });

/** A unit's file: format version, the unit, its templates. */
export const TemplateFileSchema = z
  .object({
    /** the file format's version (this loader reads 1) */
    version: z.literal(1),
    unit: z.object({ code: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'upper-case letters, digits and _'), name: localized }).strict(),
    templates: z.array(TemplateSchema).min(1),
  })
  .strict();

export type TemplateFile = z.output<typeof TemplateFileSchema>;
export type TemplateLayout = z.output<typeof LayoutSchema>;

export interface CimTemplate {
  code: string;
  title: { vi: string; en: string };
  languages: CimLanguage[];
  feeVnd: number;
  layoutVersion: number;
  layout: TemplateLayout;
  active: boolean;
  ownerUnit: { code: string; name: { vi: string; en: string } };
  /** the file it came from (absolute) */
  file: string;
  /** SHA-256 of the kiosk payload: a change re-pushes the template to every kiosk */
  contentHash: string;
}

/** The body of `PUT /api/v1/templates/{templateCode}` (docs/contracts/cim.md). */
export interface KioskTemplatePayload {
  templateCode: string;
  title: { vi: string; en: string };
  ownerUnit: string;
  languages: CimLanguage[];
  feeVnd: number;
  layoutVersion: number;
  active: boolean;
}

export function kioskTemplatePayload(t: Pick<CimTemplate, 'code' | 'title' | 'ownerUnit' | 'languages' | 'feeVnd' | 'layoutVersion' | 'active'>): KioskTemplatePayload {
  return {
    templateCode: t.code,
    title: { vi: t.title.vi, en: t.title.en },
    ownerUnit: t.ownerUnit.code,
    languages: [...t.languages],
    feeVnd: t.feeVnd,
    layoutVersion: t.layoutVersion,
    active: t.active,
  };
}

export interface TemplateRegistry {
  readonly dir: string;
  /** every template, sorted by code */
  readonly templates: readonly CimTemplate[];
  get(code: string): CimTemplate | undefined;
}

/** Reads and checks one unit's file. */
export function loadTemplateFile(file: string): CimTemplate[] {
  const parsed = parseYamlFile(file, TemplateFileSchema);
  return parsed.templates.map((t) => {
    const template = { ...t, ownerUnit: parsed.unit, file: resolve(file) };
    return { ...template, contentHash: contentHash(kioskTemplatePayload(template) as unknown as Parameters<typeof contentHash>[0]) };
  });
}

/**
 * Reads every `*.yaml` / `*.yml` of `dir`. A template code used twice (in one file or two) and an
 * empty or missing folder are configuration errors: a kiosk must never get two meanings of a code.
 */
export function loadTemplateRegistry(dir: string): TemplateRegistry {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError('CIM_TEMPLATES_MISSING', `${root}: no certificate template folder (one YAML file per unit, docs/cim.md#templates)`, { path: root });
  }
  const files = readdirSync(root)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort();
  if (files.length === 0) throw new ConfigError('CIM_TEMPLATES_MISSING', `${root}: holds no *.yaml template file`, { path: root });
  const byCode = new Map<string, CimTemplate>();
  for (const name of files) {
    for (const t of loadTemplateFile(join(root, name))) {
      const seen = byCode.get(t.code);
      if (seen) {
        throw new ConfigError('CIM_TEMPLATE_DUPLICATE', `${t.file}: template ${t.code} is already defined in ${basename(seen.file)}`, { file: t.file, field: 'code' });
      }
      byCode.set(t.code, t);
    }
  }
  const templates = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { dir: root, templates, get: (code) => byCode.get(code) };
}
