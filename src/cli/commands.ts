import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { RunSummary } from '../engine/runner.js';
import type { CliContext } from './context.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { nextSteps, type Lang, type NextStepsInput } from './next-steps.js';
import { registerStoreCommands } from './store-commands.js';

// Start-up time: `--version` and `status` must answer in well under half a second, so this file
// imports only what every command needs. The engine, the connectors and their drivers (pg,
// mysql2, mssql, oracledb, signing) are loaded by the commands that use them, with import().

interface GlobalOptions {
  config?: string;
}

/** Output nobody reads any more (a closed pipe) is dropped; see main.ts. */
const out = (line = ''): void => {
  if (!process.stdout.destroyed) process.stdout.write(line + '\n');
};

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

async function context(cmd: Command, options: { consoleLog?: boolean } = {}): Promise<CliContext> {
  const { openContext } = await import('./context.js');
  return openContext(globals(cmd).config, options);
}

const lang = (v: string | undefined): Lang => (v === 'en' ? 'en' : 'vi');

/** The run's counts, then what the operator must do next. */
export function printRunSummary(s: RunSummary, language: Lang = 'vi'): void {
  const c = s.counts as NextStepsInput['counts'];
  out(`job ${s.job} run ${s.runId}: ${s.outcome} in ${(s.durationMs / 1000).toFixed(1)} s`);
  out(`  read ${c.read}, valid ${c.mapped}, invalid ${c.invalid}, unchanged ${c.unchanged}, staged ${c.staged}${c.warnings === undefined ? '' : `, with warnings ${c.warnings}`}`);
  out(`  accepted ${c.accepted}, rejected by hub ${c.rejected}, conflicts ${c.conflicts}, dead ${c.dead}${c.deferred === undefined ? '' : `, deferred to the next run ${c.deferred}`}, retries ${c.retried}`);
  if (s.error) out(`  stopped: ${s.error.code}: ${s.error.message}`);
  // what the run itself wants heard (e.g. a plain-http hub allowed by allowInsecureHttp)
  for (const n of (s as { notices?: string[] }).notices ?? []) out(`  note: ${n}`);
  out(language === 'vi' ? '  Việc cần làm tiếp:' : '  What to do next:');
  for (const line of nextSteps(s as NextStepsInput, language)) out(`  - ${line}`);
}

export { exitCodeOf };

export function registerCommands(program: Command): void {
  program
    .command('init')
    .description('create config/lienthong.yaml and jobs/diplomas.yaml to edit (nothing is overwritten)')
    .argument('[dir]', 'where to create them', '.')
    .action(async (dir: string) => {
      const { initTemplates } = await import('./templates.js');
      const written = initTemplates(resolve(dir));
      for (const f of written.created) out(`created ${f}`);
      for (const f of written.skipped) out(`kept existing ${f}`);
      out('next (first day, see README): 1. in config/lienthong.yaml point "uis" at your database (a read-only account) and set the hub\'s');
      out('  unitCode, clientId and secret; 2. adapt the SELECT in jobs/diplomas.yaml; 3. lienthong validate; 4. lienthong check;');
      out('  5. lienthong run diplomas --dry-run; 6. lienthong run diplomas; 7. lienthong reconcile diplomas');
    });

  program
    .command('validate')
    .description('check the configuration and job definitions without connecting to anything')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await context(cmd);
      try {
        out(`configuration ${ctx.loaded.file}: ok`);
        for (const [name, job] of ctx.loaded.jobs) out(`job ${name} (${job.file}): ok${job.schedule ? `, schedule "${job.schedule.cron}" ${job.schedule.timezone}` : ''}`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('check')
    .description("connect to every connection a job uses (or the named ones), probe each job's query and compare its columns with the mapping's; exit 2 on a configuration or credential problem, 1 when a connection is down")
    .argument('[connections...]')
    .action(async (names: string[], _opts: unknown, cmd: Command) => {
      const ctx = await context(cmd);
      try {
        const { checkConnections } = await import('./check.js');
        process.exitCode = await checkConnections(ctx.loaded, names, out);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('run')
    .description('run a job once now')
    .argument('<job>')
    .option('--full-refresh', 'read the whole source, not only what changed since the last run')
    .option('--dry-run', 'probe the query, read and map a sample of records and print what would be sent; writes and sends nothing')
    .option('--limit <n>', 'records a dry run reads', (v) => positiveInt(v, '--limit'), 20)
    .option('--lang <lang>', 'language of "what to do next": vi or en', 'vi')
    .action(async (name: string, opts: { fullRefresh?: boolean; dryRun?: boolean; limit: number; lang: string }, cmd: Command) => {
      const ctx = await context(cmd);
      try {
        const { getJob } = await import('../config/load.js');
        const job = getJob(ctx.loaded, name);
        if (opts.dryRun) {
          const { dryRun } = await import('./dry-run.js');
          await dryRun(ctx, job, { limit: opts.limit, fullRefresh: opts.fullRefresh, out });
          return;
        }
        const [{ runConfiguredJob }, { createProgressDisplay }] = await Promise.all([import('../engine/jobs.js'), import('./progress.js')]);
        const display = createProgressDisplay(process.stderr);
        const controller = new AbortController();
        const stop = (): void => controller.abort(new Error('interrupted by signal'));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const summary = await runConfiguredJob(ctx, job, { trigger: 'manual', fullRefresh: opts.fullRefresh, onProgress: (p) => display.update(p), signal: controller.signal });
        display.stop();
        printRunSummary(summary, lang(opts.lang));
        process.exitCode = exitCodeOf(summary as NextStepsInput);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('start')
    .description('run the scheduler: every job with a schedule runs on it until stopped (SIGINT/SIGTERM)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await context(cmd, { consoleLog: true });
      const [{ Scheduler }, { runConfiguredJob }] = await Promise.all([import('../engine/scheduler.js'), import('../engine/jobs.js')]);
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
      const { openReadContext } = await import('./read-context.js');
      const ctx = openReadContext(globals(cmd).config);
      try {
        const [{ getJob }, { deadlineCountdown }, { targetId }] = await Promise.all([import('../config/load.js'), import('../reconcile/time.js'), import('../store/store.js')]);
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
          const warnings = await ctx.store.warningCount(job.name);
          const lock = await ctx.store.lockHolder(job.name);
          const cursor = await ctx.store.getCursor(job.name, job.source.stream);
          const first = targets[0]?.counts;
          const deadlines = job.deadlines.map((dl) => {
            const countdown = deadlineCountdown(dl.date);
            return { ...dl, daysLeft: countdown.daysLeft, countdown: `${countdown.vi} / ${countdown.en}`, accepted: first?.accepted ?? 0, pending: (first?.pending ?? 0) + (first?.sent ?? 0), rejectedByHub: first?.rejected ?? 0, heldBack: invalid };
          });
          result.push({ job: job.name, running: lock !== null, cursor, invalid, warnings, targets, deadlines, runs });
        }
        if (opts.json) {
          out(JSON.stringify(result, null, 2));
          return;
        }
        for (const r of result) {
          out(`${r.job}${r.running ? ' (running)' : ''}   cursor: ${cursorText(r.cursor)}   held back at source: ${r.invalid}   with warnings: ${r.warnings}`);
          for (const t of r.targets) out(`  ${t.target}: ${Object.entries(t.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          for (const d of r.deadlines) out(`  hạn/deadline ${d.name} ${d.date}: ${d.countdown}; accepted ${d.accepted}, pending ${d.pending}, rejected by hub ${d.rejectedByHub}, held back ${d.heldBack}`);
          for (const run of r.runs) out(`  run ${run.id} ${run.trigger} ${run.startedAt} ${run.outcome}: read ${run.counts.read}, accepted ${run.counts.accepted}, invalid ${run.counts.invalid}, warnings ${run.counts.warnings ?? 0}, deferred ${run.counts.deferred ?? 0}, dead ${run.counts.dead}${run.error ? `, ${run.error.code}` : ''}`);
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
      const ctx = await context(cmd);
      try {
        const [{ getJob }, { reconcileConfiguredJob }, { renderReconciliationSummary }] = await Promise.all([import('../config/load.js'), import('../engine/jobs.js'), import('../reconcile/writers/index.js')]);
        const job = getJob(ctx.loaded, name);
        const { report, paths } = await reconcileConfiguredJob(ctx, job);
        out(renderReconciliationSummary(report, lang(opts.lang)));
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
      const ctx = await context(cmd);
      try {
        const [{ getJob }, { targetId }] = await Promise.all([import('../config/load.js'), import('../store/store.js')]);
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
      const ctx = await context(cmd);
      try {
        const [{ getJob }, { targetId }] = await Promise.all([import('../config/load.js'), import('../store/store.js')]);
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
        const ctx = await context(cmd);
        caFiles = ctx.loaded.trustedCaFiles;
        await ctx.close();
      }
      const [{ readFileSync }, { verifyDocuments }] = await Promise.all([import('node:fs'), import('./verify.js')]);
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
      const { runDemo } = await import('./demo.js');
      process.exitCode = await runDemo({ records: opts.records, pupils: opts.pupils, seed: opts.seed, dataDir: resolve(opts.dataDir), hubUrl: opts.hubUrl, lang: opts.lang === 'en' ? 'en' : 'vi' });
    });
  registerStoreCommands(program);
}

/** A saved cursor as text: a typed cursor ({ type, value }) shows its value and type. */
function cursorText(cursor: unknown): string {
  if (cursor === null || cursor === undefined) return '(none)';
  if (typeof cursor === 'object' && 'value' in cursor) {
    const c = cursor as { type?: unknown; value: unknown };
    return `${String(c.value)}${typeof c.type === 'string' ? ` (${c.type})` : ''}`;
  }
  return String(cursor);
}

function positiveInt(v: string, option: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${option} must be a whole number of at least 1 (got "${v}")`);
  return n;
}
