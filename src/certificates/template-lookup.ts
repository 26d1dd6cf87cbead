import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { loadTemplateRegistry } from '../cim/templates.js';
import { certificateTemplateOf } from './content.js';
import type { TemplateLookup } from './issue.js';

/** The templates of the configuration's registry (`certificates.templatesDir`, default config/templates/cim), by code. */
export function templateLookupOf(loaded: LoadedConfig): TemplateLookup {
  const dir = resolve(loaded.baseDir, loaded.config.certificates?.templatesDir ?? 'templates/cim');
  const registry = loadTemplateRegistry(dir);
  const templates = new Map(registry.templates.map((t) => [t.code, certificateTemplateOf(t)]));
  return (code) => templates.get(code);
}
