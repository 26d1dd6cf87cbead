import type { LoadedConfig } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import type { CheckResult } from '../core/connector.js';
import { ConfigError, LienthongError, type ErrorKind } from '../core/errors.js';
import { buildDestination, buildMapping, buildSource, connectionKind } from '../engine/assemble.js';
import type { ColumnProblem } from '../engine/column-check.js';
import { checkCim } from './check-certificates.js';
import { checkSigningServices } from './check-signing.js';
import { probeJob } from './probe.js';

/** A check result may say what kind of failure it was (a refused login is configuration, a timeout is not). */
type KindedCheckResult = CheckResult & { kind?: ErrorKind };

/** What checking found, in the order it was found (the CLI prints one line or more per finding). */
export type CheckFinding =
  /** a connection no job uses: reported, not checked */
  | { connection: string; type: 'unused' }
  /** connecting (or building the connector) worked or did not; `errorKind` says which failure */
  | { connection: string; type: 'connection'; ok: boolean; message: string; errorKind?: ErrorKind }
  /** a job's query probed on a source connection */
  | { connection: string; type: 'query'; job: string; ok: boolean; columns?: number; allRead: boolean; notes: string[]; problems: ColumnProblem[]; message?: string; errorKind?: ErrorKind };

export interface CheckReport {
  findings: CheckFinding[];
  /** configuration or credential problems found (exit 2) */
  configProblems: number;
  /** connections or queries that did not answer (exit 1) */
  down: number;
  /** configuration wins over a connection down */
  outcome: 'ok' | 'config' | 'down';
}

function kindOf(err: unknown): ErrorKind | undefined {
  return err instanceof LienthongError ? err.kind : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Connects to every connection a job uses (or the named ones) and, for a source, probes each
 * job's query and compares its columns with what the job's mapping reads. A connection no job
 * uses is reported, not checked: its secret may not exist on this server (the school's hub client
 * on a university server), and that is no reason to fail. An unknown name is a ConfigError.
 */
export async function checkConnections(loaded: LoadedConfig, names: readonly string[] = []): Promise<CheckReport> {
  const all = Object.keys(loaded.config.connections);
  for (const name of names) {
    if (!loaded.config.connections[name]) throw new ConfigError('UNKNOWN_CONNECTION', `no connection named "${name}" (connections: ${all.join(', ')})`);
  }
  const jobs = [...loaded.jobs.values()];
  const findings: CheckFinding[] = [];
  for (const name of names.length > 0 ? names : all) {
    const c = loaded.config.connections[name];
    if (!c) continue;
    const readers = jobs.filter((j) => j.source.connection === name);
    const writers = jobs.filter((j) => j.destinations.some((d) => d.connection === name));
    // the connection's plugin says whether it is read from or written to
    const isSource = connectionKind(loaded, name) === 'source';
    // the certificate service's UIS: its own lines (certificates: uis) say how it is, below
    if (readers.length + writers.length === 0 && names.length === 0 && name === loaded.config.certificates?.uis.connection) continue;
    if (readers.length + writers.length === 0 && (names.length === 0 || isSource)) {
      findings.push({ connection: name, type: 'unused' });
      continue;
    }
    if (isSource) await checkSource(loaded, name, readers, findings);
    else await checkDestination(loaded, name, findings);
  }
  // the remote signing services of the jobs that sign (not connections: each job names its own)
  if (names.length === 0) findings.push(...(await checkSigningServices(loaded)));
  // the CIM certificate service's seal, UIS and templates, and the kiosks' template registries
  if (names.length === 0) findings.push(...(await checkCim(loaded)));
  let configProblems = 0;
  let down = 0;
  for (const f of findings) {
    if (f.type === 'unused' || f.ok) continue;
    if (f.errorKind === 'config') configProblems++;
    else down++;
  }
  return { findings, configProblems, down, outcome: configProblems > 0 ? 'config' : down > 0 ? 'down' : 'ok' };
}

async function checkSource(loaded: LoadedConfig, name: string, readers: JobDefinition[], findings: CheckFinding[]): Promise<void> {
  let connected = false;
  for (const job of readers) {
    let source;
    try {
      source = buildSource(loaded, job);
    } catch (err) {
      findings.push({ connection: name, type: 'connection', ok: false, message: messageOf(err), errorKind: kindOf(err) ?? 'config' });
      return;
    }
    try {
      if (!connected) {
        const result: KindedCheckResult = await source.check();
        findings.push({ connection: name, type: 'connection', ok: result.ok, message: result.message, ...(result.ok || result.kind === undefined ? {} : { errorKind: result.kind }) });
        if (!result.ok) return;
        connected = true;
      }
      const probe = await probeJob(source, job, buildMapping(job));
      const ok = probe.problems.length === 0;
      findings.push({ connection: name, type: 'query', job: job.name, ok, ...(probe.columns === undefined ? {} : { columns: probe.columns }), allRead: probe.input !== undefined, notes: probe.notes, problems: probe.problems, ...(ok ? {} : { errorKind: 'config' as const }) });
    } catch (err) {
      // a query the database refuses is a configuration error; a dropped connection is not
      const kind = kindOf(err);
      findings.push({ connection: name, type: 'query', job: job.name, ok: false, allRead: false, notes: [], problems: [], message: messageOf(err), ...(kind === undefined ? {} : { errorKind: kind }) });
    } finally {
      await source.close();
    }
  }
}

async function checkDestination(loaded: LoadedConfig, name: string, findings: CheckFinding[]): Promise<void> {
  let dest;
  try {
    dest = buildDestination(loaded, name);
  } catch (err) {
    // a missing secret or a bad connection block
    findings.push({ connection: name, type: 'connection', ok: false, message: messageOf(err), errorKind: kindOf(err) ?? 'config' });
    return;
  }
  try {
    const result: KindedCheckResult = await dest.check();
    findings.push({ connection: name, type: 'connection', ok: result.ok, message: result.message, ...(result.ok || result.kind === undefined ? {} : { errorKind: result.kind }) });
  } catch (err) {
    const kind = kindOf(err);
    findings.push({ connection: name, type: 'connection', ok: false, message: messageOf(err), ...(kind === undefined ? {} : { errorKind: kind }) });
  } finally {
    await dest.close();
  }
}
