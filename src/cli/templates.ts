import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../core/package-root.js';

/**
 * What `lienthong init` writes: only what the diploma job needs (its `uis` and `hub`
 * connections, and the job itself). The shipped config/lienthong.yaml also declares the sample
 * school and its hub client for the demo; copied to a server, `check` would then fail on a
 * secret no job there uses.
 */
const TEMPLATES: readonly { from: string; to: string }[] = [
  { from: 'config/templates/lienthong.yaml', to: 'config/lienthong.yaml' },
  { from: 'jobs/diplomas.yaml', to: 'jobs/diplomas.yaml' },
];

/** `lienthong init`: copies the configuration and the diploma job for the user to edit; never overwrites. */
export function initTemplates(dir: string): { created: string[]; skipped: string[] } {
  const created: string[] = [];
  const skipped: string[] = [];
  for (const { from, to: rel } of TEMPLATES) {
    const to = join(dir, rel);
    if (existsSync(to)) {
      skipped.push(to);
      continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(packageRoot(), from), to);
    created.push(to);
  }
  return { created, skipped };
}
