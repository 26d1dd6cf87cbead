import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { getJob } from '../config/load.js';
import { buildDestination, buildSource } from '../engine/assemble.js';
import { reconcileConfiguredJob, runConfiguredJob } from '../engine/jobs.js';
import type { RunSummary } from '../engine/runner.js';
import { Scheduler } from '../engine/scheduler.js';
import { daysUntil } from '../reconcile/time.js';
import { renderReconciliationSummary } from '../reconcile/writers/index.js';
import { targetId } from '../store/store.js';
import { openContext } from './context.js';
import { runDemo } from './demo.js';
import { EXIT } from './main.js';
import { createProgressDisplay } from './progress.js';
import { registerStoreCommands } from './store-commands.js';
import { initTemplates } from './templates.js';
import { verifyDocuments } from './verify.js';

interface GlobalOptions {
  config?: string;
}

const out = (line = ''): void => {
  process.stdout.write(line + '\n');
};

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export function printRunSummary(s: RunSummary): void {
  const c = s.counts;
  out(`job ${s.job} run ${s.runId}: ${s.outcome} in ${(s.durationMs / 1000).toFixed(1)} s`);
  out(`  read ${c.read}, valid ${c.mapped}, invalid ${c.invalid}, unchanged ${c.unchanged}, staged ${c.staged}`);
  out(`  accepted ${c.accepted}, rejected by hub ${c.rejected}, conflicts ${c.conflicts}, dead ${c.dead}, retries ${c.retried}`);
  if (s.error) out(`  stopped: ${s.error.code}: ${s.error.message}`);
}

export function exitCodeOf(s: RunSummary): number {
  return s.outcome === 'succeeded' ? EXIT.ok : s.outcome === 'partial' ? EXIT.partial : EXIT.failed;
}

export function registerCommands(program: Command): void {
  program
    .command('init')
    .description('create config/lienthong.yaml and jobs/diplomas.yaml to edit (nothing is overwritten)')
    .argument('[dir]', 'where to create them', '.')
    .action((dir: string) => {
      const written = initTemplates(resolve(dir));
      for (const f of written.created) out(`created ${f}`);
      for (const f of written.skipped) out(`kept existing ${f}`);
      out('next: edit the connection URLs and the SELECT, then run "lienthong validate" and "lienthong check"');
    });

  program
    .command('validate')
    .description('check the configuration and job definitions without connecting to anything')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      out(`configuration ${ctx.loaded.file}: ok`);
      for (const [name, job] of ctx.loaded.jobs) out(`job ${name} (${job.file}): ok${job.schedule ? `, schedule "${job.schedule.cron}" ${job.schedule.timezone}` : ''}`);
      void ctx.close();
    });

  program
    .command('check')
    .description('connect to every connection (or the named ones) and report whether it answers')
    .argument('[connections...]')
    .action(async (names: string[], _opts: unknown, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      let failed = 0;
      try {
        const all = Object.keys(ctx.loaded.config.connections);
        for (const name of names.length > 0 ? names : all) {
          const c = ctx.loaded.config.connections[name];
          if (!c) throw new ConfigError('UNKNOWN_CONNECTION', `no connection named "${name}" (connections: ${all.join(', ')})`);
          let result;
          try {
            if (c.type === 'sql') {
              const job = [...ctx.loaded.jobs.values()].find((j) => j.source.connection === name);
              if (!job) {
                out(`${name}: skipped (no job reads from it)`);
                continue;
              }
              const source = buildSource(ctx.loaded, job);
              try {
                result = await source.check();
              } finally {
                await source.close();
              }
            } else {
              const dest = buildDestination(ctx.loaded, name);
              try {
                result = await dest.check();
              } finally {
                await dest.close();
              }
            }
          } catch (err) {
            result = { ok: false, message: err instanceof Error ? err.message : String(err) };
          }
          if (!result.ok) failed++;
          out(`${name}: ${result.ok ? 'ok' : 'FAILED'}: ${result.message}`);
        }
      } finally {
        await ctx.close();
      }
      if (failed > 0) process.exitCode = EXIT.failed;
    });

  program
    .command('run')
    .description('run a job once now')
    .argument('<job>')
    .option('--full-refresh', 'read the whole source, not only what changed since the last run')
    .action(async (name: string, opts: { fullRefresh?: boolean }, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      try {
        const job = getJob(ctx.loaded, name);
        const display = createProgressDisplay(process.stderr);
        const controller = new AbortController();
        const stop = (): void => controller.abort(new Error('interrupted by signal'));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const summary = await runConfiguredJob(ctx, job, { trigger: 'manual', fullRefresh: opts.fullRefresh, onProgress: (p) => display.update(p), signal: controller.signal });
        display.stop();
        printRunSummary(summary);
        process.exitCode = exitCodeOf(summary);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('start')
    .description('run the scheduler: every job with a schedule runs on it until stopped (SIGINT/SIGTERM)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = openContext(globals(cmd).config, { consoleLog: true });
      const jobs = [...ctx.loaded.jobs.values()];
      const scheduler = new Scheduler(jobs, (job, trigger) => runConfiguredJob(ctx, job, { trigger }), ctx.store, ctx.logger);
      await scheduler.start();
      await new Promise<void>((resolveStop) => {
        const stop = (): void => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      ctx.logger.info('stopping: waiting for runs in progress');
      await scheduler.stop();
      await ctx.close();
    });

  program
    .command('status')
    .description('last runs, ledger counts and deadlines of every job (or one)')
    .argument('[job]')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      try {
        const jobs = name ? [getJob(ctx.loaded, name)] : [...ctx.loaded.jobs.values()];
        const result = [];
        for (const job of jobs) {
          const runs = await ctx.store.lastRuns(job.name, 5);
          const targets = [];
          for (const d of job.destinations) {
            const t = targetId(d.connection, d.dataset);
            targets.push({ target: t, counts: await ctx.store.statusCounts(t) });
          }
          let invalid = 0;
          for await (const _ of ctx.store.listInvalid(job.name)) invalid++;
          const lock = await ctx.store.lockHolder(job.name);
          const cursor = (await ctx.store.getCursor(job.name, job.source.stream))?.value ?? null;
          const first = targets[0]?.counts;
          const deadlines = job.deadlines.map((dl) => ({ ...dl, daysLeft: daysUntil(dl.date), accepted: first?.accepted ?? 0, pending: (first?.pending ?? 0) + (first?.sent ?? 0), rejected: (first?.rejected ?? 0) + invalid }));
          result.push({ job: job.name, running: lock !== null, cursor, invalid, targets, deadlines, runs });
        }
        if (opts.json) {
          out(JSON.stringify(result, null, 2));
          return;
        }
        for (const r of result) {
          out(`${r.job}${r.running ? ' (running)' : ''}   cursor: ${r.cursor ?? '(none)'}   invalid at source: ${r.invalid}`);
          for (const t of r.targets) out(`  ${t.target}: ${Object.entries(t.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          for (const d of r.deadlines) out(`  hạn/deadline ${d.name} ${d.date}: ${d.daysLeft >= 0 ? `${d.daysLeft} days left` : `passed ${-d.daysLeft} days ago`}; accepted ${d.accepted}, pending ${d.pending}, rejected ${d.rejected}`);
          for (const run of r.runs) out(`  run ${run.id} ${run.trigger} ${run.startedAt} ${run.outcome}: read ${run.counts.read}, accepted ${run.counts.accepted}, invalid ${run.counts.invalid}, dead ${run.counts.dead}${run.error ? `, ${run.error.code}` : ''}`);
        }
      } finally {
        await ctx.close();
      }
    });

  program
    .command('reconcile')
    .description('compare the source, the ledger and the hub; write the report to DIR/reports/<job>/latest/')
    .argument('<job>')
    .option('--lang <lang>', 'language of the printed summary: vi or en', 'vi')
    .action(async (name: string, opts: { lang: string }, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      try {
        const job = getJob(ctx.loaded, name);
        const { report, paths } = await reconcileConfiguredJob(ctx, job);
        out(renderReconciliationSummary(report, opts.lang === 'en' ? 'en' : 'vi'));
        out(`report: ${paths.htmlPath}`);
        out(`        ${paths.jsonPath}`);
        out(`        ${paths.csvPath}`);
      } finally {
        await ctx.close();
      }
    });

  const dead = program.command('dead-letters').description('records delivery gave up on, and version conflicts');
  dead
    .command('list')
    .argument('<job>')
    .option('--json', 'print JSON lines')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      try {
        const job = getJob(ctx.loaded, name);
        let n = 0;
        for (const d of job.destinations) {
          const t = targetId(d.connection, d.dataset);
          for await (const e of ctx.store.ledger(t, { status: ['dead', 'stale'] })) {
            n++;
            if (opts.json) out(JSON.stringify({ target: t, idbanghi: e.idbanghi, sourceKey: e.sourceKey, status: e.status, phienban: e.phienban, attempts: e.attempts, error: e.lastError }));
            else out(`${t} ${e.idbanghi} (source ${e.sourceKey}) ${e.status === 'stale' ? 'conflict' : 'dead'} phienban ${e.phienban} after ${e.attempts} attempts: ${e.lastError?.code ?? ''} ${e.lastError?.message ?? ''}`);
          }
        }
        if (!opts.json) out(`${n} dead letter(s)`);
      } finally {
        await ctx.close();
      }
    });
  dead
    .command('retry')
    .description('put dead letters (all, or the given idbanghi) back in the queue; the next run sends them')
    .argument('<job>')
    .argument('[idbanghi...]')
    .action(async (name: string, ids: string[], _opts: unknown, cmd: Command) => {
      const ctx = openContext(globals(cmd).config);
      try {
        const job = getJob(ctx.loaded, name);
        let n = 0;
        for (const d of job.destinations) n += await ctx.store.retryDeadLetters(targetId(d.connection, d.dataset), ids.length > 0 ? ids : undefined);
        out(`${n} record(s) queued again; they are sent by the next run of ${job.name} ("lienthong run ${job.name}")`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('verify')
    .description('check the signatures of signed documents (school record XML or PDF); exits 1 naming what failed')
    .argument('<files...>')
    .option('--ca <file>', 'trusted CA certificate (PEM); repeatable; default: trust.caFiles of the configuration', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (files: string[], opts: { ca: string[] }, cmd: Command) => {
      let caFiles = opts.ca;
      if (caFiles.length === 0) {
        const ctx = openContext(globals(cmd).config);
        caFiles = ctx.loaded.trustedCaFiles;
        await ctx.close();
      }
      const verdicts = await verifyDocuments(files, caFiles.map((f) => readFileSync(f, 'utf8')));
      let failed = 0;
      for (const v of verdicts) {
        out(`${v.valid ? 'HỢP LỆ / VALID  ' : 'KHÔNG HỢP LỆ / INVALID'} ${v.file} (${v.kind})`);
        for (const s of v.signatures) out(`  ${s}`);
        for (const p of v.problems) out(`  ! ${p}`);
        if (!v.valid) failed++;
      }
      if (failed > 0) {
        out(`${failed} of ${verdicts.length} document(s) failed: ${verdicts.filter((v) => !v.valid).map((v) => v.file).join(', ')}`);
        process.exitCode = EXIT.failed;
      }
    });

  program
    .command('demo')
    .description('run the whole diploma sync on a sample university database against the bundled hub simulator')
    .option('--records <n>', 'graduates in the sample UIS', (v) => Number.parseInt(v, 10), 1000)
    .option('--pupils <n>', 'pupils in the sample school (their records are signed)', (v) => Number.parseInt(v, 10), 40)
    .option('--seed <s>', 'seed of the sample data', (v) => Number.parseInt(v, 10), 42)
    .option('--data-dir <dir>', 'where the sample database, configuration, state and reports go', 'demo-data')
    .option('--hub-url <url>', 'use this hub instead of starting the simulator')
    .option('--lang <lang>', 'language of the summary: vi or en', 'vi')
    .action(async (opts: { records: number; pupils: number; seed: number; dataDir: string; hubUrl?: string; lang: string }) => {
      process.exitCode = await runDemo({ records: opts.records, pupils: opts.pupils, seed: opts.seed, dataDir: resolve(opts.dataDir), hubUrl: opts.hubUrl, lang: opts.lang === 'en' ? 'en' : 'vi' });
    });

  registerStoreCommands(program);
}
