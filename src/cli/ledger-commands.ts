import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { out, positiveInt, withReadContext } from './io.js';

// `jobs`, `runs` and `ledger`: read-only, like `status` they open the store on this thread and
// no log, and only call src/services.

const print = (json: boolean | undefined, value: unknown, lines: () => string[]): void => {
  if (json) out(JSON.stringify(value, null, 2));
  else for (const line of lines()) out(line);
};

export function registerLedgerCommands(program: Command): void {
  for (const register of [jobs, runs, ledger]) register(program);
}

function jobs(program: Command): void {
  program
    .command('jobs')
    .description('every job: its schedule and next run, last run, ledger counts and deadlines')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) =>
      withReadContext(cmd, async (ctx) => {
        const [{ listJobs }, { jobLines }] = await Promise.all([import('../services/jobs.js'), import('./format-ledger.js')]);
        const list = await listJobs(ctx);
        print(opts.json, list, () => jobLines(list));
      }),
    );
}

function runs(program: Command): void {
  program
    .command('runs')
    .description("a job's last runs, newest first, or one run by its id")
    .argument('<job>')
    .argument('[run]', 'a run id')
    .option('--limit <n>', 'how many runs', (v) => positiveInt(v, '--limit'), 20)
    .option('--json', 'print JSON')
    .action((name: string, runId: string | undefined, opts: { limit: number; json?: boolean }, cmd: Command) =>
      withReadContext(cmd, async (ctx) => {
        const [{ getRun, listRuns }, { runLines }] = await Promise.all([import('../services/jobs.js'), import('./format-ledger.js')]);
        const list = runId === undefined ? await listRuns(ctx, name, opts.limit) : [await getRun(ctx, name, runId)];
        print(opts.json, runId === undefined ? list : list[0], () => runLines(list));
      }),
    );
}

function ledger(program: Command): void {
  program
    .command('ledger')
    .description("one record (by --key or --id: its ledger rows, why it was held back, its warnings), or a page of the job's ledger")
    .argument('<job>')
    .option('--key <sourceKey>', "the record's key at the source")
    .option('--id <idbanghi>', 'the national record id')
    .option('--status <statuses>', 'a page of these statuses only (comma-separated: pending,sent,accepted,stale,rejected,dead)')
    .option('--target <target>', 'connection/dataset (default: the first destination)')
    .option('--after <idbanghi>', 'the page after this idbanghi (printed at the end of a page)')
    .option('--limit <n>', 'records in a page', (v) => positiveInt(v, '--limit'), 100)
    .option('--json', 'print JSON')
    .action((name: string, opts: { key?: string; id?: string; status?: string; target?: string; after?: string; limit: number; json?: boolean }, cmd: Command) =>
      withReadContext(cmd, async (ctx) => {
        const [{ findRecord, ledgerPage }, { ledgerPageLines, recordLines }] = await Promise.all([import('../services/ledger.js'), import('./format-ledger.js')]);
        if (opts.key !== undefined && opts.id !== undefined) throw new ConfigError('USAGE', 'give either --key or --id, not both');
        if (opts.key !== undefined || opts.id !== undefined) {
          const view = await findRecord(ctx, name, opts.key !== undefined ? { sourceKey: opts.key } : { idbanghi: opts.id as string });
          print(opts.json, view, () => recordLines(view));
          return;
        }
        const page = await ledgerPage(ctx, name, { target: opts.target, status: opts.status?.split(',').map((s) => s.trim()), after: opts.after, limit: opts.limit });
        print(opts.json, page, () => ledgerPageLines(page));
      }),
    );
}
