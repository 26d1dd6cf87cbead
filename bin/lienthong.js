#!/usr/bin/env node
// The CLI entry point. It runs the compiled engine from dist/ (built by `npm ci` through the
// package's `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`lienthong: ${entry} is missing; run "npm run build" first\n`);
  process.exit(2);
}
const { main } = await import(entry);
await main(process.argv);
