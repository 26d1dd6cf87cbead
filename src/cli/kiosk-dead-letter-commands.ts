import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { KioskDeadLetter } from '../store/kiosk-store.js';
import { auditCliAction } from './cli-audit.js';
import { out, withContext } from './io.js';

// `lienthong kiosks dead-letters` and `lienthong kiosks requeue`: the changes a CIM kiosk refused
// for good (docs/cim.md#store-and-forward), which `lienthong dead-letters` (the engine's outbox)
// does not hold: they live in the kiosk's own lane.

/** one line per dead letter: kiosk, kind, key, code, message, when it was queued */
export function kioskDeadLetterLine(d: KioskDeadLetter): string {
  return `${d.connection}/${d.kioskId}  ${d.kind} ${d.key} (${d.op})  ${d.code ?? '?'}: ${d.message ?? ''}  queued ${d.enqueuedAt}, ${d.attempts} attempt(s)`;
}

/** adds `dead-letters` and `requeue` to the `kiosks` command */
export function registerKioskDeadLetterCommands(kiosks: Command): void {
  kiosks
    .command('dead-letters')
    .description('the changes a kiosk refused for good (a 4xx other than 401/403): not sent again until requeued')
    .option('--connection <name>', 'one cim-kiosk connection only')
    .option('--kiosk <id>', 'one kiosk only')
    .option('--json', 'print JSON lines')
    .action((opts: { connection?: string; kiosk?: string; json?: boolean }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { kioskDeadLetters } = await import('../services/kiosks.js');
        const letters = await kioskDeadLetters(ctx, { ...(opts.connection === undefined ? {} : { connection: opts.connection }), ...(opts.kiosk === undefined ? {} : { kioskId: opts.kiosk }) });
        for (const d of letters) out(opts.json ? JSON.stringify(d) : kioskDeadLetterLine(d));
        if (!opts.json) {
          out(`${letters.length} dead letter(s)`);
          if (letters.length > 0) out('once the cause is fixed (the source data or the template), queue them again: lienthong kiosks requeue --kiosk ID --all (or --key KEY)');
        }
      }),
    );
  kiosks
    .command('requeue')
    .description("put a kiosk's dead letters back in its lane, in their order; the next run sends them (audited)")
    .requiredOption('--kiosk <id>', 'the kiosk')
    .option('--connection <name>', 'its cim-kiosk connection (needed only when several know the kiosk)')
    .option('--key <key>', 'only the dead letter of this student id or template code')
    .option('--all', 'every dead letter of the kiosk')
    .action((opts: { kiosk: string; connection?: string; key?: string; all?: boolean }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        if ((opts.key === undefined) === (opts.all !== true)) throw new ConfigError('USAGE', 'give either --key KEY or --all');
        const { requeueKioskDeadLetters } = await import('../services/kiosks.js');
        const { connection, requeued } = await requeueKioskDeadLetters(
          ctx,
          { kioskId: opts.kiosk, ...(opts.connection === undefined ? {} : { connection: opts.connection }), ...(opts.key === undefined ? {} : { key: opts.key }) },
          (action, subject, detail) => auditCliAction(ctx.store, action, subject, detail),
        );
        for (const d of requeued) out(`queued again: ${d.kind} ${d.key}`);
        out(`${requeued.length} change(s) queued again for kiosk ${opts.kiosk} of ${connection}; the next run of a job that pushes to ${connection} sends them in order ("lienthong run JOB")`);
      }),
    );
}
