import { resolve } from 'node:path';
import { auditCliAction } from './cli-audit.js';
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import { configOption, lang, out, withContext, withReadContext } from './io.js';

/** `status`, `reconcile`, `dead-letters`, `verify` and `demo`: thin commands over src/services. */
export function registerReportCommands(program: Command): void {
  for (const register of [status, reconcile, deadLetters, verify, demo]) register(program);
}

function status(program: Command): void {
  program
    .command('status')
    .description('last runs, ledger counts and deadlines of every job (or one)')
    .argument('[job]')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const [{ jobStatuses }, { statusLines }] = await Promise.all([import('../services/status.js'), import('./format.js')]);
      await withReadContext(cmd, async (ctx) => {
        const result = await jobStatuses(ctx, name);
        if (opts.json) out(JSON.stringify(result, null, 2));
        else for (const line of statusLines(result)) out(line);
      });
    });
}

function reconcile(program: Command): void {
  program
    .command('reconcile')
    .description('compare the source, the ledger and the hub; write the report to DIR/reports/<job>/latest/')
    .argument('<job>')
    .option('--lang <lang>', 'language of the printed summary: vi or en', 'vi')
    .action((name: string, opts: { lang: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const [{ reconcileJob }, { renderReconciliationSummary }] = await Promise.all([import('../services/reconcile.js'), import('../reconcile/writers/index.js')]);
        const { report, paths } = await reconcileJob(ctx, name);
        await auditCliAction(ctx.store, 'job.reconcile', report.job, { generatedAt: report.generatedAt });
        out(renderReconciliationSummary(report, lang(opts.lang)));
        out(`report: ${paths.htmlPath}`);
        out(`        ${paths.jsonPath}`);
        out(`        ${paths.csvPath}`);
      }),
    );
}

function deadLetters(program: Command): void {
  const dead = program.command('dead-letters').description('records delivery gave up on, and version conflicts');
  dead
    .command('list')
    .argument('<job>')
    .option('--json', 'print JSON lines')
    .action((name: string, opts: { json?: boolean }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const [{ listDeadLetters }, { deadLetterLine }] = await Promise.all([import('../services/dead-letters.js'), import('./format.js')]);
        const letters = await listDeadLetters(ctx, name);
        for (const d of letters) out(deadLetterLine(d, opts.json === true));
        if (!opts.json) out(`${letters.length} dead letter(s)`);
      }),
    );
  dead
    .command('retry')
    .description('put dead letters (all, those whose last error has a code, or the given idbanghi) back in the queue; the next run sends them')
    .argument('<job>')
    .argument('[idbanghi...]')
    .option('--code <code>', 'only the dead letters whose last error has this code')
    .action((name: string, ids: string[], opts: { code?: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { requeueDeadLetters } = await import('../services/dead-letters.js');
        if (opts.code !== undefined && ids.length > 0) throw new ConfigError('USAGE', 'give either idbanghi or --code, not both');
        const selection = opts.code !== undefined ? { code: opts.code } : ids.length > 0 ? { idbanghi: ids } : { all: true as const };
        const { job, requeued, notRequeued } = await requeueDeadLetters(ctx, name, selection);
        await auditCliAction(ctx.store, 'deadletters.requeue', job, { selection: 'code' in selection ? 'code' : 'idbanghi' in selection ? 'ids' : 'all', ...('code' in selection ? { code: selection.code } : {}), requeued, notRequeued: notRequeued.length });
        for (const n of notRequeued) out(`${n.target} ${n.idbanghi} not queued again: ${n.reason}`);
        out(`${requeued} record(s) queued again; they are sent by the next run of ${job} ("lienthong run ${job}")`);
      }),
    );
}

function verify(program: Command): void {
  program
    .command('verify')
    .description('check the signatures of signed documents (school record XML or PDF); exits 1 naming what failed')
    .argument('<files...>')
    .option('--ca <file>', 'trusted CA certificate (PEM); repeatable; default: trust.caFiles of the configuration', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (files: string[], opts: { ca: string[] }, cmd: Command) => {
      // the configuration only (its trust.caFiles): verifying documents needs no state store or log
      const { findConfigFile, loadConfig } = await import('../config/load.js');
      const caFiles = opts.ca.length > 0 ? opts.ca : loadConfig(findConfigFile(configOption(cmd))).trustedCaFiles;
      const { verifyDocumentFiles } = await import('../services/verify.js');
      // next to a state store, a CIM certificate is also checked against the register of certificates issued
      const { openRegisterIfPresent } = await import('./cim-certificate-commands.js');
      const register = await openRegisterIfPresent(configOption(cmd));
      const verdicts = await verifyDocumentFiles(files, caFiles, register ?? undefined).finally(() => register?.close());
      for (const v of verdicts) {
        out(`${v.valid ? 'HỢP LỆ / VALID  ' : 'KHÔNG HỢP LỆ / INVALID'} ${v.file} (${v.kind})`);
        for (const s of v.signatures) out(`  ${s}`);
        for (const p of v.problems) out(`  ! ${p}`);
      }
      const failed = verdicts.filter((v) => !v.valid);
      if (failed.length > 0) {
        out(`${failed.length} of ${verdicts.length} document(s) failed: ${failed.map((v) => v.file).join(', ')}`);
        process.exitCode = EXIT.failed;
      }
    });
}

function demo(program: Command): void {
  program
    .command('demo')
    .description('run the whole diploma sync on a sample university database against the bundled hub simulator')
    .option('--records <n>', 'graduates in the sample UIS', (v) => Number.parseInt(v, 10), 1000)
    .option('--pupils <n>', 'pupils in the sample school (their records are signed)', (v) => Number.parseInt(v, 10), 40)
    .option('--seed <s>', 'seed of the sample data', (v) => Number.parseInt(v, 10), 42)
    .option('--data-dir <dir>', 'where the sample database, configuration, state and reports go', 'demo-data')
    .option('--hub-url <url>', 'use this hub instead of starting the simulator')
    .option('--vneid-url <url>', 'publish the credentials to this VNeID credential service instead of the bundled simulator (password in DATA_DIR/secrets/vneid-password)')
    .option('--lang <lang>', 'language of the summary: vi or en', 'vi')
    .option('--serve', 'then keep the web console running (admin password in DATA_DIR/secrets/admin-password) until Ctrl+C')
    .option('--listen <host:port>', 'where the console listens with --serve (default 127.0.0.1:8080)')
    .option('--signing-url <url>', 'the signers approve on this remote signing service instead of the bundled simulator (client lienthong-demo-signing, secret in DATA_DIR/secrets/signing-client-secret)')
    .option('--signing-ca <file>', "with --signing-url: the CA certificate (PEM) of that service's signers")
    .option('--kiosk-url <url>', 'push the CIM templates and students to this kiosk instead of the two simulated ones (repeatable; token in LIENTHONG_KIOSK_TOKEN)', (v: string, all: string[] = []) => [...all, v])
    .option('--approval-timeout <seconds>', 'how long the demo waits for the approvals (default 120 with the simulator, 900 with --signing-url)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { records: number; pupils: number; seed: number; dataDir: string; hubUrl?: string; lang: string; serve?: boolean; listen?: string; signingUrl?: string; signingCa?: string; approvalTimeout?: number; kioskUrl?: string[]; vneidUrl?: string }) => {
      if ((opts.signingUrl === undefined) !== (opts.signingCa === undefined)) {
        process.stderr.write('--signing-url and --signing-ca go together: the service, and the CA of its signers\' certificates\n');
        process.exitCode = EXIT.config;
        return;
      }
      const { runDemo } = await import('./demo.js');
      process.exitCode = await runDemo({ records: opts.records, pupils: opts.pupils, seed: opts.seed, dataDir: resolve(opts.dataDir), hubUrl: opts.hubUrl, lang: lang(opts.lang), serve: opts.serve, listen: opts.listen, signingUrl: opts.signingUrl, signingCa: opts.signingCa === undefined ? undefined : resolve(opts.signingCa), approvalTimeoutMs: opts.approvalTimeout === undefined ? undefined : opts.approvalTimeout * 1000, kioskUrls: opts.kioskUrl, vneidUrl: opts.vneidUrl });
    });
  
}
