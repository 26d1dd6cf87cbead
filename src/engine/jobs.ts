import type { LoadedConfig } from '../config/load.js';
import type { JobDefinition } from '../config/schema.js';
import type { Logger } from '../core/logger.js';
import type { EngineObserver } from '../core/observer.js';
import type { StateStore } from '../store/store.js';
import { buildDestinations, buildMapping, buildSource, buildTransformer, unitCodeOf, type ConnectionOverrides } from './assemble.js';
import { runJob, type RunOptions, type RunSummary } from './runner.js';

/** Everything a job needs from its surroundings: the configuration, the store, the log. */
export interface JobEnvironment {
  loaded: LoadedConfig;
  store: StateStore;
  logger: Logger;
  overrides?: ConnectionOverrides;
  /** told of runs, batches, retries, waits and signing (the console's metrics); none costs nothing */
  observer?: EngineObserver;
}

/** Builds a job's connectors, runs it once and closes them. */
export async function runConfiguredJob(env: JobEnvironment, job: JobDefinition, options: RunOptions = {}): Promise<RunSummary> {
  const source = buildSource(env.loaded, job, env.overrides);
  const destinations = buildDestinations(env.loaded, job, env.overrides);
  const transformer = buildTransformer(env.loaded, job, env.store);
  try {
    return await runJob(job, { store: env.store, source, mapping: buildMapping(job), transformer, destinations, unitCode: unitCodeOf(env.loaded, job, env.overrides), logger: env.logger, observer: env.observer }, options);
  } finally {
    await transformer?.close();
    await source.close();
    await Promise.all(destinations.map((d) => d.connector.close()));
  }
}
