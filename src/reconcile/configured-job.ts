import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import { BugError } from '../core/errors.js';
import { buildDestination, buildMapping, buildSource, unitCodeOf } from '../engine/assemble.js';
import type { JobEnvironment } from '../engine/jobs.js';
import { credentialLookupOf } from './credentials.js';
import { reconcile } from './reconcile.js';
import type { ReconciliationReport } from './types.js';
import { writeReconciliationReport, type ReportPaths } from './writers/index.js';

// Reconciliation builds a job's connectors as a run does; it lives here, not in the engine, so
// that the engine never imports reconciliation (which maps through the engine's mapping step).

export function reportDir(loaded: LoadedConfig, job: string): string {
  return join(loaded.dataDir, 'reports', job, 'latest');
}

/** Reconciles a job against its first destination and writes the report files. */
export async function reconcileConfiguredJob(env: JobEnvironment, job: JobDefinition): Promise<{ report: ReconciliationReport; paths: ReportPaths }> {
  const first = job.destinations[0];
  // the job schema requires one; a job without is lienthong's fault, not the operator's
  if (!first) throw new BugError('JOB_WITHOUT_DESTINATION', 'a job has at least one destination', { job: job.name });
  const source = buildSource(env.loaded, job, env.overrides);
  const connector = buildDestination(env.loaded, first.connection, env.overrides);
  // a destination publishing credentials after this one (VNeID, `after:`): the report's credential column
  const followers = job.destinations.filter((d) => d.after !== undefined).map((d) => ({ ...d, connector: buildDestination(env.loaded, d.connection, env.overrides) }));
  try {
    const report = await reconcile(job, {
      store: env.store,
      source,
      mapping: buildMapping(job),
      destination: { connection: first.connection, dataset: first.dataset, connector },
      unitCode: unitCodeOf(env.loaded, job, env.overrides),
      warnings: env.store.listWarnings(job.name),
      credentials: credentialLookupOf(followers, first),
    });
    const paths = await writeReconciliationReport(report, reportDir(env.loaded, job.name));
    env.logger.info('reconciliation written', { job: job.name, totals: report.totals, dir: reportDir(env.loaded, job.name) });
    return { report, paths };
  } finally {
    await source.close();
    await connector.close();
    for (const f of followers) await f.connector.close();
  }
}
