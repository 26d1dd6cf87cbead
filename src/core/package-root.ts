import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder of lienthong's package.json, from src/ (tests) and from dist/src/ (built) alike. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('lienthong: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  cached = dir;
  return dir;
}

/**
 * A compiled module of this package that a Worker runs: `sibling` next to the calling module when
 * that runs from dist/, else `distPath` under the package's dist/ (tests run the .ts sources, and
 * a Worker cannot load TypeScript). Undefined when it has not been built.
 */
export function compiledModule(callerUrl: string, sibling: string, distPath: string): string | undefined {
  const next = fileURLToPath(new URL(sibling, callerUrl));
  if (existsSync(next)) return next;
  const built = join(packageRoot(), 'dist', distPath);
  return existsSync(built) ? built : undefined;
}
