import { getJob } from '../config/load.js';
import { reconcileConfiguredJob } from '../reconcile/configured-job.js';
import type { ReconciliationReport } from '../reconcile/types.js';
import type { ReportPaths } from '../reconcile/writers/index.js';
import type { ServiceEnvironment } from './context.js';

/**
 * Reconciles a job (the source read in full and mapped as a run maps it, the ledger, the hub's
 * read-back) and writes the report to `<dataDir>/reports/<job>/latest/`. Returns the report and
 * where its files are.
 */
export async function reconcileJob(env: ServiceEnvironment, name: string): Promise<{ report: ReconciliationReport; paths: ReportPaths }> {
  return reconcileConfiguredJob(env, getJob(env.loaded, name));
}
