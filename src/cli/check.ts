import type { LoadedConfig } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import type { CheckResult } from '../core/connector.js';
import { ConfigError, LienthongError, type ErrorKind } from '../core/errors.js';
import { buildDestination, buildMapping, buildSource } from '../engine/assemble.js';
import { EXIT } from './exit-codes.js';
import { probeJob } from './dry-run.js';

/** A check result may say what kind of failure it was (a refused login is configuration, a timeout is not). */
type KindedCheckResult = CheckResult & { kind?: ErrorKind };

interface Tally {
  /** configuration or credential problems: exit 2 */
  config: number;
  /** connections that did not answer: exit 1 */
  down: number;
}

function record(t: Tally, kind: ErrorKind | undefined): void {
  if (kind === 'config') t.config++;
  else t.down++;
}

function kindOf(err: unknown): ErrorKind | undefined {
  return err instanceof LienthongError ? err.kind : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `lienthong check`: connects to every connection a job uses (or the named ones) and, for a
 * source, probes each job's query and compares its columns with what the job's mapping reads.
 * A connection no job uses is reported, not checked: its secret may not exist on this server
 * (the school's hub client on a university server), and that is no reason to fail.
 * Returns the exit code: 2 when a configuration or credential problem was found, 1 when a
 * connection did not answer, 0 when all is well.
 */
export async function checkConnections(loaded: LoadedConfig, names: string[], out: (line: string) => void): Promise<number> {
  const all = Object.keys(loaded.config.connections);
  for (const name of names) {
    if (!loaded.config.connections[name]) throw new ConfigError('UNKNOWN_CONNECTION', `no connection named "${name}" (connections: ${all.join(', ')})`);
  }
  const jobs = [...loaded.jobs.values()];
  const tally: Tally = { config: 0, down: 0 };
  for (const name of names.length > 0 ? names : all) {
    const c = loaded.config.connections[name];
    if (!c) continue;
    const readers = jobs.filter((j) => j.source.connection === name);
    const writers = jobs.filter((j) => j.destinations.some((d) => d.connection === name));
    if (readers.length + writers.length === 0) {
      if (names.length === 0 || c.type === 'sql') {
        out(`${name}: not used by any job (not checked)`);
        continue;
      }
    }
    if (c.type === 'sql') await checkSource(loaded, name, readers, tally, out);
    else await checkDestination(loaded, name, tally, out);
  }
  if (tally.config > 0) return EXIT.config;
  if (tally.down > 0) return EXIT.failed;
  return EXIT.ok;
}

async function checkSource(loaded: LoadedConfig, name: string, readers: JobDefinition[], tally: Tally, out: (line: string) => void): Promise<void> {
  let connected = false;
  for (const job of readers) {
    let source;
    try {
      source = buildSource(loaded, job);
    } catch (err) {
      record(tally, kindOf(err) ?? 'config');
      out(`${name}: FAILED: ${messageOf(err)}`);
      return;
    }
    try {
      if (!connected) {
        const result: KindedCheckResult = await source.check();
        out(`${name}: ${result.ok ? 'ok' : 'FAILED'}: ${result.message}`);
        if (!result.ok) {
          record(tally, result.kind);
          return;
        }
        connected = true;
      }
      const probe = await probeJob(source, job, buildMapping(job));
      for (const note of probe.notes) out(`  job ${job.name}: note: ${note}`);
      if (probe.problems.length === 0) {
        if (probe.columns !== undefined) out(`  job ${job.name}: query ok, ${probe.columns} columns${probe.input ? ', all read by the job' : ''}`);
        continue;
      }
      tally.config++;
      out(`  job ${job.name}: the query's columns do not match what the job reads:`);
      for (const p of probe.problems) out(`    ${p.code}: ${p.message}`);
    } catch (err) {
      // a query the database refuses is a configuration error; a dropped connection is not
      record(tally, kindOf(err));
      out(`  job ${job.name}: FAILED: ${messageOf(err)}`);
    } finally {
      await source.close();
    }
  }
}

async function checkDestination(loaded: LoadedConfig, name: string, tally: Tally, out: (line: string) => void): Promise<void> {
  let dest;
  try {
    dest = buildDestination(loaded, name);
  } catch (err) {
    // a missing secret or a bad connection block
    record(tally, kindOf(err) ?? 'config');
    out(`${name}: FAILED: ${messageOf(err)}`);
    return;
  }
  try {
    const result: KindedCheckResult = await dest.check();
    out(`${name}: ${result.ok ? 'ok' : 'FAILED'}: ${result.message}`);
    if (!result.ok) record(tally, result.kind);
  } catch (err) {
    record(tally, kindOf(err));
    out(`${name}: FAILED: ${messageOf(err)}`);
  } finally {
    await dest.close();
  }
}
