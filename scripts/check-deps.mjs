#!/usr/bin/env node
// Part of `npm run lint`: the import rules of scripts/deps/ (no cycle between files, none between
// folders of the shipped code, vitest and test helpers only in tests), then the hand-written files
// over the size the project keeps to. Exits non-zero on any broken rule or a file over HARD_LIMIT.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

// What tsconfig.json type-checks (a new top-level folder is checked once it is there), plus the
// plain JavaScript of scripts/ and bin/; test/ and vitest.config.ts are test code.
const { config } = ts.readConfigFile('tsconfig.json', ts.sys.readFile);
const TEST_ONLY = new Set(['test', 'vitest.config.ts']);
const CODE = [...config.include.filter((p) => !TEST_ONLY.has(p)), 'scripts', 'bin'];
/** lines: a file over SOFT_LIMIT is listed, one over HARD_LIMIT fails the check */
const SOFT_LIMIT = 400;
const HARD_LIMIT = 450;
/** written by a program, not by hand */
const GENERATED = /\.generated\.ts$/;

const depcruise = 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs';

function cruise(rules, paths) {
  const r = spawnSync(process.execPath, [depcruise, '--config', rules, '--output-type', 'err', ...paths], { stdio: 'inherit' });
  return r.status === 0;
}

let ok = cruise('scripts/deps/files.mjs', [...CODE, ...TEST_ONLY]);
ok = cruise('scripts/deps/folders.mjs', CODE) && ok;

const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...CODE, ...TEST_ONLY], { encoding: 'utf8' })
  .stdout.split('\n')
  .filter((f) => /\.(ts|mjs|cjs|js)$/.test(f) && !GENERATED.test(f));
const long = [];
for (const file of files) {
  let lines;
  try {
    lines = readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  if (lines > SOFT_LIMIT) long.push({ file, lines });
}
long.sort((a, b) => b.lines - a.lines);
for (const { file, lines } of long) console.log(`${lines > HARD_LIMIT ? 'error' : 'warn '} ${file}: ${lines} lines (keep files under ${SOFT_LIMIT}, ${HARD_LIMIT} at most)`);
if (long.some((l) => l.lines > HARD_LIMIT)) ok = false;

process.exit(ok ? 0 : 1);
