import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../core/package-root.js';

/** `lienthong init`: copies the shipped configuration and diploma job for the user to edit. */
export function initTemplates(dir: string): { created: string[]; skipped: string[] } {
  const created: string[] = [];
  const skipped: string[] = [];
  for (const rel of ['config/lienthong.yaml', 'jobs/diplomas.yaml']) {
    const to = join(dir, rel);
    if (existsSync(to)) {
      skipped.push(to);
      continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(packageRoot(), rel), to);
    created.push(to);
  }
  return { created, skipped };
}
