import type { LoadedConfig } from '../../config/load.js';
import { ConfigError } from '../../core/errors.js';
import type { TemplateLookup } from './issue.js';

/** The templates of the configuration's registry (config/templates/), by code. */
export function templateLookupOf(loaded: LoadedConfig): TemplateLookup {
  throw new ConfigError('CIM_TEMPLATES_MISSING', `${loaded.file}: the template registry is not available yet`, { file: loaded.file });
}
