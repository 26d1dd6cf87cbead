import type { LoadedConfig } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import type { JobEnvironment } from '../engine/jobs.js';
import { targetId, type StateStore, type TargetId } from '../store/store.js';

/**
 * What a service that only reads needs: the loaded configuration and the state store. The CLI
 * opens them once per command; the web console keeps them open. Services print nothing, never
 * exit the process, and throw LienthongErrors; their results are plain JSON-friendly objects.
 */
export interface ServiceContext {
  loaded: LoadedConfig;
  store: StateStore;
}

/** What a service that connects to sources and destinations needs: also the log (and overrides). */
export type ServiceEnvironment = JobEnvironment;

/** One delivery target of a job: a dataset at a destination connection. */
export interface JobTarget {
  target: TargetId;
  connection: string;
  dataset: string;
}

export function targetsOf(job: Pick<JobDefinition, 'destinations'>): JobTarget[] {
  return job.destinations.map((d) => ({ target: targetId(d.connection, d.dataset), connection: d.connection, dataset: d.dataset }));
}
