import type { Command } from 'commander';
import { cliActor } from './cli-audit.js';
import { out, withContext, withReadContext } from './io.js';
import { registerKioskDeadLetterCommands } from './kiosk-dead-letter-commands.js';

// `lienthong kiosks token KIOSK`, `lienthong certificates revoke|report|list`: the CIM certificate
// service's operator commands (docs/cim.md). Actions are audited with the address `cli`.

/** `lienthong kiosks …` and `lienthong certificates …` */
export function registerCimCertificateCommands(program: Command): void {
  const kiosks = program.commands.find((c) => c.name() === 'kiosks') ?? program.command('kiosks').description('CIM kiosks: their tokens, and the changes they refused (dead letters)');
  kiosks
    .command('token')
    .description("create or rotate a kiosk's token for POST /cim/v1/certificates; printed once, stored hashed (the old one stops working)")
    .argument('<kiosk>', 'the kiosk id, as the kiosk sends it in kioskId')
    .action((kiosk: string, _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { createKioskToken } = await import('../certificates/kiosk-tokens.js');
        const token = await createKioskToken(ctx.store, kiosk, cliActor(), 'cli');
        out(token);
        process.stderr.write(`token of kiosk ${kiosk}: shown once, install it on the kiosk as "Authorization: Bearer"; a new one replaces it\n`);
      }),
    );
  registerKioskDeadLetterCommands(kiosks);

  const certificates = program.command('certificates').description('CIM certificates issued: revoke, the fees report, the list');
  certificates
    .command('revoke')
    .description('revoke a certificate: its verify page says revoked from now on (audited)')
    .argument('<number>', 'the certificate number, e.g. LTU-2026-000012')
    .requiredOption('--reason <text>', 'why (kept with the certificate and in the audit log)')
    .action((no: string, opts: { reason: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { revokeCertificate } = await import('../certificates/manage.js');
        const { auditCliAction } = await import('./cli-audit.js');
        const c = await revokeCertificate(ctx.store, no, opts.reason, cliActor(), (e) => auditCliAction(ctx.store, e.action, e.subject ?? no, e.detail, e.outcome));
        out(`certificate ${c.certificateNo} revoked at ${c.revokedAt ?? ''}: ${opts.reason}`);
      }),
    );

  certificates
    .command('report')
    .description('certificates issued per template, unit, language and month, with fees')
    .option('--month <YYYY-MM>', 'one month only (Viet Nam time)')
    .option('--csv', 'print CSV (a header line, then one line per template, unit, language and month)')
    .option('--json', 'print JSON')
    .action((opts: { month?: string; csv?: boolean; json?: boolean }, cmd: Command) =>
      withReadContext(cmd, async (ctx) => {
        const { certificateReport, certificateReportCsv } = await import('../certificates/manage.js');
        const report = await certificateReport(ctx.store, opts.month);
        if (opts.csv) process.stdout.write(certificateReportCsv(report));
        else if (opts.json) out(JSON.stringify(report, null, 2));
        else {
          out(`certificates issued${report.month === null ? '' : ` in ${report.month}`}:`);
          for (const r of report.rows) out(`  ${r.month}  ${r.ownerUnit} / ${r.templateCode} (${r.language}): ${r.certificates} certificate(s), ${r.copies} copies, ${r.feeVnd.toLocaleString('vi-VN')} VND${r.revoked > 0 ? `, ${r.revoked} revoked` : ''}`);
          out(`total: ${report.totals.certificates} certificate(s), ${report.totals.feeVnd.toLocaleString('vi-VN')} VND`);
        }
      }),
    );

  certificates
    .command('list')
    .description('the certificates issued, newest first (the holder masked)')
    .option('--month <YYYY-MM>', 'one month only')
    .action((opts: { month?: string }, cmd: Command) =>
      withReadContext(cmd, async (ctx) => {
        for (const c of await ctx.store.listCertificates(opts.month === undefined ? {} : { month: opts.month })) {
          out(`${c.certificateNo}  ${c.issuedAt}  ${c.templateCode} (${c.language})  ${c.holderMasked}  kiosk ${c.kioskId}  ${c.feeVnd} VND${c.dataSource === 'snapshot' ? '  [from the last data read]' : ''}${c.revokedAt === null ? '' : '  REVOKED'}`);
        }
      }),
    );
}

/**
 * The state store of the configuration, when there is one (a configuration found and its store file
 * present): `lienthong verify` then checks CIM certificates against the register. Never creates a store.
 */
export async function openRegisterIfPresent(configPath: string | undefined): Promise<(import('../services/verify.js').CertificateRegister & { close(): Promise<void> }) | null> {
  const { existsSync } = await import('node:fs');
  const { findConfigFile, loadConfig } = await import('../config/load.js');
  let storePath: string;
  try {
    storePath = loadConfig(findConfigFile(configPath)).storePath;
  } catch {
    return null;
  }
  if (!existsSync(storePath)) return null;
  const { openReadContext } = await import('./read-context.js');
  const ctx = openReadContext(configPath);
  return { certificateByCode: (code) => ctx.store.certificateByCode(code), close: () => ctx.close() };
}
