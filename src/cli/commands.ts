import { resolve } from 'node:path';
import { auditCliAction } from './cli-audit.js';
import type { Command } from 'commander';
import { registerAuditCommands } from './audit-commands.js';
import { registerCimCertificateCommands } from './cim-certificate-commands.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { lang, out, positiveInt, withContext } from './io.js';
import { registerLedgerCommands } from './ledger-commands.js';
import type { NextStepsInput } from './next-steps.js';
import { registerReportCommands } from './report-commands.js';
import { registerSigningCommands } from './signing-commands.js';
import { registerStoreCommands } from './store-commands.js';
import { registerUserCommands } from './user-commands.js';

// Start-up time: `--version` and `status` must answer in well under half a second, so this file
// imports only what every command needs. The engine, the connectors and their drivers (pg,
// mysql2, mssql, oracledb, signing) are loaded by the commands that use them, with import().
// Each command is thin: it calls a service (src/services) and prints what it returns.

export function registerCommands(program: Command): void {
  for (const register of [init, validate, check, run, start, registerReportCommands, registerLedgerCommands, registerStoreCommands, registerUserCommands, registerAuditCommands, registerSigningCommands, registerCimCertificateCommands]) register(program);
}

function init(program: Command): void {
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
}

function validate(program: Command): void {
  program
    .command('validate')
    .description('check the configuration and job definitions without connecting to anything')
    .action((_opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        out(`configuration ${ctx.loaded.file}: ok`);
        for (const [name, job] of ctx.loaded.jobs) out(`job ${name} (${job.file}): ok${job.schedule ? `, schedule "${job.schedule.cron}" ${job.schedule.timezone}` : ''}`);
        const { validateCim } = await import('../services/check-certificates.js');
        const cim = validateCim(ctx.loaded);
        for (const f of cim) out(`${f.connection}: ${f.ok ? 'ok' : 'FAILED'}: ${f.message}`);
        if (cim.some((f) => !f.ok)) process.exitCode = EXIT.config;
      }),
    );
}

function check(program: Command): void {
  program
    .command('check')
    .description("connect to every connection a job uses (or the named ones), probe each job's query and compare its columns with the mapping's; exit 2 on a configuration or credential problem, 1 when a connection is down")
    .argument('[connections...]')
    .action((names: string[], _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const [{ checkConnections }, { checkLines }] = await Promise.all([import('../services/check.js'), import('./format.js')]);
        const report = await checkConnections(ctx.loaded, names);
        for (const line of checkLines(report)) out(line);
        process.exitCode = report.outcome === 'config' ? EXIT.config : report.outcome === 'down' ? EXIT.failed : EXIT.ok;
      }),
    );
}

function run(program: Command): void {
  program
    .command('run')
    .description('run a job once now')
    .argument('<job>')
    .option('--full-refresh', 'read the whole source, not only what changed since the last run')
    .option('--dry-run', 'probe the query, read and map a sample of records and print what would be sent; writes and sends nothing')
    .option('--limit <n>', 'records a dry run reads', (v) => positiveInt(v, '--limit'), 20)
    .option('--lang <lang>', 'language of "what to do next": vi or en', 'vi')
    .action((name: string, opts: { fullRefresh?: boolean; dryRun?: boolean; limit: number; lang: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        if (opts.dryRun) {
          const [{ dryRun }, { dryRunLines }] = await Promise.all([import('../services/dry-run.js'), import('./format.js')]);
          for (const line of dryRunLines(await dryRun(ctx, name, { limit: opts.limit, fullRefresh: opts.fullRefresh }))) out(line);
          return;
        }
        const [{ runJobNow }, { createProgressDisplay }, { runSummaryLines }] = await Promise.all([import('../services/jobs.js'), import('./progress.js'), import('./format.js')]);
        const display = createProgressDisplay(process.stderr);
        const controller = new AbortController();
        const stop = (): void => controller.abort(new Error('interrupted by signal'));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // the bar is taken down even when the run cannot start (the job locked by another process)
        const summary = await runJobNow(ctx, name, { fullRefresh: opts.fullRefresh, onProgress: (p) => display.update(p), signal: controller.signal }).finally(() => display.stop());
        await auditCliAction(ctx.store, 'job.run', summary.job, { runId: summary.runId, outcome: summary.outcome, fullRefresh: opts.fullRefresh === true });
        for (const line of runSummaryLines(summary, lang(opts.lang))) out(line);
        process.exitCode = exitCodeOf(summary as NextStepsInput);
      }),
    );
}

function start(program: Command): void {
  program
    .command('start')
    .description('run the service: every job with a schedule runs on it, and the web console and API listen (server.listen, default 127.0.0.1:8080), until SIGINT/SIGTERM')
    .option('--listen <host:port>', 'where the console listens (overrides server.listen)')
    .action((opts: { listen?: string }, cmd: Command) =>
      withContext(
        cmd,
        async (ctx) => {
          const [{ startService }, { RunProgressHub }, { createConsoleMetrics }] = await Promise.all([import('../server/listen.js'), import('../server/progress.js'), import('../server/metrics.js')]);
          const service = await startService(ctx, new RunProgressHub(), { listen: opts.listen, metrics: createConsoleMetrics(ctx) });
          out(`console: ${service.url}`);
          await new Promise<void>((resolveStop) => {
            process.once('SIGINT', () => resolveStop());
            process.once('SIGTERM', () => resolveStop());
          });
          ctx.logger.info('stopping: closing the console, waiting for runs in progress');
          await service.close();
        },
        { consoleLog: true },
      ),
    );
}
