import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import { BugError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { reconcile } from '../reconcile/reconcile.js';
import type { ReconciliationReport } from '../reconcile/types.js';
import { writeReconciliationReport, type ReportPaths } from '../reconcile/writers/index.js';
import type { StateStore } from '../store/store.js';
import { buildDestination, buildDestinations, buildMapping, buildSource, buildTransformer, unitCodeOf, type ConnectionOverrides } from './assemble.js';
import { runJob, type RunOptions, type RunSummary } from './runner.js';

/** Everything a job needs from its surroundings: the configuration, the store, the log. */
export interface JobEnvironment {
  loaded: LoadedConfig;
  store: StateStore;
  logger: Logger;
  overrides?: ConnectionOverrides;
}

/** Builds a job's connectors, runs it once and closes them. */
export async function runConfiguredJob(env: JobEnvironment, job: JobDefinition, options: RunOptions = {}): Promise<RunSummary> {
  const source = buildSource(env.loaded, job, env.overrides);
  const destinations = buildDestinations(env.loaded, job, env.overrides);
  const transformer = buildTransformer(env.loaded, job);
  try {
    return await runJob(job, { store: env.store, source, mapping: buildMapping(job), transformer, destinations, unitCode: unitCodeOf(env.loaded, job, env.overrides), logger: env.logger }, options);
  } finally {
    await transformer?.close();
    await source.close();
    await Promise.all(destinations.map((d) => d.connector.close()));
  }
}

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
  try {
    const report = await reconcile(job, {
      store: env.store,
      source,
      mapping: buildMapping(job),
      destination: { connection: first.connection, dataset: first.dataset, connector },
      unitCode: unitCodeOf(env.loaded, job, env.overrides),
      warnings: env.store.listWarnings(job.name),
    });
    const paths = await writeReconciliationReport(report, reportDir(env.loaded, job.name));
    env.logger.info('reconciliation written', { job: job.name, totals: report.totals, dir: reportDir(env.loaded, job.name) });
    return { report, paths };
  } finally {
    await source.close();
    await connector.close();
  }
}
