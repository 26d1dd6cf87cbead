#!/usr/bin/env node
// The CLI entry point. It runs the compiled engine from dist/ (built by `npm ci` through the
// package's `prepare` script, or by `npm run build`; shipped built in a package made by `npm pack`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// An older Node fails later with an obscure syntax or module error: say what is needed instead.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`lienthong: Node.js 20.19 or newer is needed (this is ${process.version})\n`);
  process.exit(2);
}
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`lienthong: ${entry} is missing; run "npm run build" first\n`);
  process.exit(2);
}
const { main } = await import(entry);
await main(process.argv);
