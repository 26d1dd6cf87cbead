/**
 * `npm run bench` (startup part): how long the CLI takes to answer `--version` and `status`, the
 * two commands an operator or a monitoring script types most. Target: under 0.5 s each (the CLI
 * loads the engine, the connectors and their database drivers only in the commands that use them).
 *
 * Each command runs STARTUP_RUNS times (15 by default) as a fresh process, `status` on a
 * configuration made by `lienthong init` with an initialised state store; the result is the
 * median (a shared machine slows some runs down), with the minimum and maximum beside it.
 * Results go to bench/results/startup.json. The target is checked and printed, not asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';

const TARGET_MS = 500;

interface CommandTiming {
  command: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
  underTarget: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function cli(bin: string, args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`lienthong ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function main(): void {
  const root = packageRoot();
  const bin = join(root, 'bin', 'lienthong.js');
  const runs = Number(process.env.STARTUP_RUNS ?? 15);
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-startup-'));
  try {
    cli(bin, ['init', dir], dir);
    // the first `status` creates the state store; the timed ones open an existing one
    cli(bin, ['status'], dir);
    const commands: { command: string; args: string[] }[] = [
      { command: '--version', args: ['--version'] },
      { command: 'status', args: ['status'] },
    ];
    const samples = new Map<string, number[]>(commands.map((c) => [c.command, []]));
    // interleaved, so a slow moment of the machine touches both commands alike
    for (let i = 0; i < runs; i++) for (const c of commands) samples.get(c.command)?.push(cli(bin, c.args, dir));
    const results: CommandTiming[] = commands.map((c) => {
      const s = samples.get(c.command) ?? [];
      const med = median(s);
      return { command: c.command, runs: s.length, medianMs: Math.round(med), minMs: Math.round(Math.min(...s)), maxMs: Math.round(Math.max(...s)), samplesMs: s.map((v) => Math.round(v)), underTarget: med < TARGET_MS };
    });
    for (const r of results) {
      process.stdout.write(`startup ${r.command.padEnd(10)} median ${r.medianMs} ms (min ${r.minMs}, max ${r.maxMs}, ${r.runs} runs): ${r.underTarget ? 'ok' : 'OVER'} the ${TARGET_MS} ms target\n`);
    }
    const outDir = join(root, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, 'startup.json');
    writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, targetMs: TARGET_MS, commands: results }, null, 2) + '\n');
    process.stdout.write(`results: ${out}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
