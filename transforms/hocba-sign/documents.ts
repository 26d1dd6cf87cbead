/**
 * The documents folder of signed school records. A record re-signed at a new phienban does not
 * overwrite what was signed before (a signed record is never edited in place,
 * docs/formats/hocba.md#changes-after-signing): every version
 * is kept, and a manifest says which one is current.
 *
 *   <idbanghi>.v<N>.xml / .pdf   the documents of version N (N = the envelope's phienban)
 *   <idbanghi>.xml / .pdf        the latest version (a hard link to it), where readers have always found it
 *   <idbanghi>.versions.json     the manifest: every version, `superseded: true` for all but the latest
 *
 * Files written before versions were kept (`<idbanghi>.xml` with no manifest) are moved to
 * `<idbanghi>.v0.xml/.pdf` (version unknown) and listed as superseded, so they are not lost either.
 * Every file is written to a temporary name and renamed: a reader never sees half a document.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FieldError } from '../../src/core/records.js';

export interface DocumentVersion {
  /** the envelope's phienban the documents were signed at; 0 for files kept from before versions were recorded */
  phienban: number;
  xml: string;
  pdf: string;
  xmlSha256: string;
  pdfSha256: string;
  /** ISO time of the signature; absent for files kept from before versions were recorded */
  signedAt?: string;
  superseded: boolean;
}

export interface DocumentManifest {
  idbanghi: string;
  /** the phienban of the current documents (`<idbanghi>.xml/.pdf`) */
  latest: number;
  /** oldest first */
  versions: DocumentVersion[];
}

export const manifestFileName = (idbanghi: string): string => `${idbanghi}.versions.json`;
const versionFile = (idbanghi: string, phienban: number, ext: 'xml' | 'pdf'): string => `${idbanghi}.v${phienban}.${ext}`;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Keeps version `phienban` of a record's documents and updates its manifest. Signing the same version
 * again (a run stopped after signing, before the record was staged) replaces that version only.
 */
export async function keepSignedVersion(dir: string, idbanghi: string, phienban: number, xml: Uint8Array, pdf: Uint8Array, signedAt: Date): Promise<DocumentManifest> {
  await mkdir(dir, { recursive: true });
  const manifest = (await readManifest(dir, idbanghi)) ?? (await adoptUnversioned(dir, idbanghi));
  await writeAtomically(join(dir, versionFile(idbanghi, phienban, 'pdf')), pdf);
  await writeAtomically(join(dir, versionFile(idbanghi, phienban, 'xml')), xml);

  const entry: DocumentVersion = {
    phienban,
    xml: versionFile(idbanghi, phienban, 'xml'),
    pdf: versionFile(idbanghi, phienban, 'pdf'),
    xmlSha256: sha256(xml),
    pdfSha256: sha256(pdf),
    signedAt: signedAt.toISOString(),
    superseded: false,
  };
  const versions = [...manifest.versions.filter((v) => v.phienban !== phienban), entry].sort((a, b) => a.phienban - b.phienban);
  const latest = Math.max(...versions.map((v) => v.phienban));
  for (const v of versions) v.superseded = v.phienban !== latest;
  // the current copies follow the highest version: an older one signed late does not replace them
  if (phienban === latest) {
    await linkAtomically(join(dir, entry.pdf), join(dir, `${idbanghi}.pdf`), pdf);
    await linkAtomically(join(dir, entry.xml), join(dir, `${idbanghi}.xml`), xml);
  }
  const next: DocumentManifest = { idbanghi, latest, versions };
  await writeAtomically(join(dir, manifestFileName(idbanghi)), Buffer.from(`${JSON.stringify(next, null, 2)}\n`, 'utf8'));
  return next;
}

async function readManifest(dir: string, idbanghi: string): Promise<DocumentManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, manifestFileName(idbanghi)), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return parseManifest(text);
}

function parseManifest(text: string): DocumentManifest {
  const value = JSON.parse(text) as DocumentManifest;
  if (typeof value !== 'object' || value === null || !Array.isArray(value.versions) || typeof value.latest !== 'number') {
    throw new Error('not a document manifest');
  }
  return value;
}

/** Documents signed before versions were kept become version 0, so the next version does not overwrite them. */
async function adoptUnversioned(dir: string, idbanghi: string): Promise<DocumentManifest> {
  const empty: DocumentManifest = { idbanghi, latest: 0, versions: [] };
  const xmlPath = join(dir, `${idbanghi}.xml`);
  const pdfPath = join(dir, `${idbanghi}.pdf`);
  if (!existsSync(xmlPath) || existsSync(join(dir, versionFile(idbanghi, 0, 'xml')))) return empty;
  const xml = await readFile(xmlPath);
  const pdf = existsSync(pdfPath) ? await readFile(pdfPath) : undefined;
  await writeAtomically(join(dir, versionFile(idbanghi, 0, 'xml')), xml);
  if (pdf) await writeAtomically(join(dir, versionFile(idbanghi, 0, 'pdf')), pdf);
  return {
    idbanghi,
    latest: 0,
    versions: [{ phienban: 0, xml: versionFile(idbanghi, 0, 'xml'), pdf: pdf ? versionFile(idbanghi, 0, 'pdf') : '', xmlSha256: sha256(xml), pdfSha256: pdf ? sha256(pdf) : '', superseded: false }],
  };
}

export interface SupersededInfo {
  /** the version this file is */
  phienban: number;
  /** the version that replaces it */
  latest: number;
  manifest: string;
}

/**
 * Whether a document file is a superseded version, according to the manifest beside it
 * (`<idbanghi>.versions.json` in the same folder, `<idbanghi>` taken from the file name). The file is
 * recognised by its content (SHA-256), so a renamed copy in that folder is recognised too. Undefined
 * when there is no manifest, the file is not listed in it, or it is the latest version.
 */
export function supersededVersionOf(file: string, bytes: Uint8Array): SupersededInfo | undefined {
  const name = basename(file).replace(/\.(xml|pdf)$/i, '').replace(/\.v\d+$/, '');
  const manifestPath = join(dirname(file), manifestFileName(name));
  if (!existsSync(manifestPath)) return undefined;
  let manifest: DocumentManifest;
  try {
    manifest = parseManifest(readFileSync(manifestPath, 'utf8'));
  } catch {
    return undefined;
  }
  const hash = sha256(bytes);
  const entry = manifest.versions.find((v) => v.xmlSha256 === hash || v.pdfSha256 === hash);
  if (!entry || !entry.superseded) return undefined;
  return { phienban: entry.phienban, latest: manifest.latest, manifest: manifestPath };
}

/**
 * keepSignedVersion as a record's result: undefined when kept, else the record's error (a full disk,
 * a folder without permission), naming the cause and no path.
 */
export async function keepSignedVersionOrError(dir: string, idbanghi: string, phienban: number, xml: Uint8Array, pdf: Uint8Array, signedAt: Date): Promise<FieldError | undefined> {
  try {
    await keepSignedVersion(dir, idbanghi, phienban, xml, pdf, signedAt);
    return undefined;
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : err instanceof Error ? err.message.slice(0, 80) : 'unknown';
    return { field: 'tailieu', code: 'DOCUMENT_WRITE_FAILED', message: `the documents could not be written to the documents folder (${code})` };
  }
}

/** A record id that can name its files in the documents folder: no path separator, no leading dot. */
export function safeFileName(name: string): boolean {
  return name !== '' && !name.startsWith('.') && !/[/\\\0]/.test(name) && name.length <= 200;
}

/** tmp + rename: a reader never sees half a document, and a crash leaves the old one whole. */
export async function writeAtomically(path: string, content: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o640 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * `path` becomes the same file as `from` (a hard link: the latest copy costs no space), replaced by a
 * rename so a reader sees the old file or the new one. Where links are not possible, the bytes are written.
 */
async function linkAtomically(from: string, path: string, content: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await link(from, tmp);
    await rename(tmp, path);
  } catch {
    await rm(tmp, { force: true });
    await writeAtomically(path, content);
  }
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}
