/**
 * `lienthong validate` and `lienthong check`, the CIM part (docs/cim.md): the `certificates:` block
 * (the university's seal, the UIS and its two SELECTs, the template registry) and the template
 * registry of every cim-kiosk connection. Without this a wrong password, a missing file or a
 * SELECT without `full_name` shows only at the first kiosk request (503) or run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { CertificatesConfig } from '../config/certificates.js';
import { loadTemplateRegistry } from '../cim/templates.js';
import { LienthongError, type ErrorKind } from '../core/errors.js';
import { resolveSecret } from '../core/secret-reference.js';
import { Pkcs12Signer } from '../../documents/xmldsig/pkcs12-signer.js';
import { KIOSK_CONNECTION_TYPE } from './kiosks.js';

/** one thing validated or checked, printed as a connection finding is: `<name>: ok|FAILED: message` */
export interface CimFinding {
  connection: string;
  type: 'connection';
  ok: boolean;
  message: string;
  errorKind?: ErrorKind;
}

/** the columns the certificate service reads (src/certificates/student-record.ts), by SELECT */
export const UIS_REQUIRED_COLUMNS = {
  students: ['student_id', 'full_name', 'birth_date', 'programme', 'faculty', 'cohort', 'status'],
  results: ['student_id', 'course_code', 'course_name', 'credits', 'score10'],
} as const;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const kindOf = (err: unknown): ErrorKind => (err instanceof LienthongError ? err.kind : 'config');
const failed = (connection: string, err: unknown): CimFinding => ({ connection, type: 'connection', ok: false, message: messageOf(err), errorKind: kindOf(err) });

/** a template registry loaded: how many templates, or the error naming the file and field */
function templatesFinding(name: string, dir: string): CimFinding {
  try {
    const registry = loadTemplateRegistry(dir);
    return { connection: name, type: 'connection', ok: true, message: `${registry.templates.length} template(s) in ${registry.dir}` };
  } catch (err) {
    return failed(name, err);
  }
}

/**
 * What `validate` can tell without connecting: each registry loads (its errors name file and
 * field), the seal's file exists, the UIS connection is one of the configuration.
 */
export function validateCim(loaded: LoadedConfig): CimFinding[] {
  const findings: CimFinding[] = [];
  const c = loaded.config.certificates;
  if (c !== undefined) {
    findings.push(templatesFinding('certificates.templatesDir', resolve(loaded.baseDir, c.templatesDir)));
    const p12 = resolve(loaded.baseDir, c.seal.p12);
    findings.push(
      existsSync(p12)
        ? { connection: 'certificates.seal.p12', type: 'connection', ok: true, message: `${p12} exists (lienthong check opens it)` }
        : { connection: 'certificates.seal.p12', type: 'connection', ok: false, message: `${p12}: no such file (the university's PKCS#12 that signs the certificates)`, errorKind: 'config' },
    );
    const uis = loaded.config.connections[c.uis.connection];
    findings.push(
      uis === undefined
        ? { connection: 'certificates.uis.connection', type: 'connection', ok: false, message: `no connection named "${c.uis.connection}" (connections: ${Object.keys(loaded.config.connections).join(', ')})`, errorKind: 'config' }
        : { connection: 'certificates.uis.connection', type: 'connection', ok: true, message: `${c.uis.connection} (${String((uis as { type?: unknown }).type)})` },
    );
  }
  for (const [name, connection] of Object.entries(loaded.config.connections)) {
    if ((connection as { type?: unknown }).type !== KIOSK_CONNECTION_TYPE) continue;
    const dir = (connection as { templatesDir?: string }).templatesDir ?? 'templates/cim';
    findings.push(templatesFinding(`connections.${name}.templatesDir`, resolve(loaded.baseDir, dir)));
  }
  return findings;
}

/** the seal opened: its password resolves, it holds one key and its certificate, valid now */
export function checkSeal(loaded: LoadedConfig, c: CertificatesConfig, now: Date = new Date()): CimFinding {
  const name = 'certificates: seal';
  try {
    const path = resolve(loaded.baseDir, c.seal.p12);
    let der: Buffer;
    try {
      der = readFileSync(path);
    } catch (cause) {
      return failed(name, new LienthongError('CIM_SEAL_MISSING', 'config', `certificates.seal.p12: cannot read ${path}`, { path: 'certificates.seal.p12' }, { cause }));
    }
    const password = resolveSecret(c.seal.password, loaded.baseDir, { file: loaded.file, path: 'certificates.seal.password' });
    const seal = Pkcs12Signer.fromBuffer(der, password, path);
    const cert = new X509Certificate(seal.certificatePem);
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (now < from || now > to) {
      return { connection: name, type: 'connection', ok: false, message: `${seal.subject}: the certificate is valid from ${from.toISOString()} to ${to.toISOString()}, not now: certificates would be signed with it; renew it`, errorKind: 'config' };
    }
    const days = Math.floor((to.getTime() - now.getTime()) / 86_400_000);
    return { connection: name, type: 'connection', ok: true, message: `${seal.subject}, key and certificate readable, valid until ${to.toISOString()} (${days} day(s))` };
  } catch (err) {
    return failed(name, err);
  }
}

/** the UIS reached and the two SELECTs probed: each gives the columns the certificates read */
export async function checkUis(loaded: LoadedConfig, c: CertificatesConfig): Promise<CimFinding[]> {
  const name = 'certificates: uis';
  const { buildStreamSource } = await import('../engine/assemble.js');
  let source;
  try {
    source = buildStreamSource(loaded, c.uis.connection, [
      { name: 'students', query: c.uis.students, keyFields: ['student_id'] },
      { name: 'results', query: c.uis.results, keyFields: ['student_id'] },
    ]);
  } catch (err) {
    return [failed(name, err)];
  }
  try {
    const connected = (await source.check()) as { ok: boolean; message: string; kind?: ErrorKind };
    if (!connected.ok) return [{ connection: name, type: 'connection', ok: false, message: `${c.uis.connection}: ${connected.message}`, errorKind: connected.kind ?? 'transient' }];
    if (!source.probe || !source.readKeys) {
      return [{ connection: name, type: 'connection', ok: false, message: `certificates.uis.connection: the ${source.type} connection cannot read given keys; use a sql connection`, errorKind: 'config' }];
    }
    const findings: CimFinding[] = [];
    for (const stream of ['students', 'results'] as const) {
      const label = `certificates.uis.${stream}`;
      try {
        const probe = await source.probe(stream);
        const have = new Set(probe.columns.map((col) => col.name.toLowerCase()));
        const missing = UIS_REQUIRED_COLUMNS[stream].filter((col) => !have.has(col));
        findings.push(
          missing.length === 0
            ? { connection: label, type: 'connection', ok: true, message: `query ok, ${probe.columns.length} columns` }
            : { connection: label, type: 'connection', ok: false, message: `the SELECT gives no column ${missing.join(', ')} (alias yours with AS; docs/cim.md#certificates)`, errorKind: 'config' },
        );
      } catch (err) {
        findings.push(failed(label, err));
      }
    }
    return findings;
  } catch (err) {
    return [failed(name, err)];
  } finally {
    await source.close();
  }
}

/** `check`'s CIM part: what validate looks at, then the seal opened and the UIS probed */
export async function checkCim(loaded: LoadedConfig): Promise<CimFinding[]> {
  // the seal's file is opened below: its own line says when it is missing
  const findings = validateCim(loaded).filter((f) => f.connection !== 'certificates.seal.p12');
  const c = loaded.config.certificates;
  if (c === undefined) return findings;
  findings.push(checkSeal(loaded, c));
  findings.push(...(await checkUis(loaded, c)));
  return findings;
}
