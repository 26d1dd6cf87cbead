import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { once } from 'node:events';
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { out, withContext } from './io.js';

const REASONS: Record<string, string> = {
  hash: 'its content does not match its hash (edited)',
  prevHash: 'it does not chain to the entry before (an entry before it edited, removed or reordered)',
  gap: 'this entry is missing (deleted)',
  head: 'the log ends before the head the store recorded (entries deleted at the end)',
};

/** `lienthong audit verify|export`. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit log of the console: verify its hash chain, export it');

  audit
    .command('verify')
    .description('recompute the hash chain of the audit log; exit 0 when intact, 1 naming the first entry that breaks it')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { verifyAuditLog } = await import('../services/audit.js');
        const r = await verifyAuditLog(ctx.store);
        if (opts.json) out(JSON.stringify(r, null, 2));
        else if (r.intact) {
          out(`audit log intact: ${r.entries} entries`);
          out(r.head ? `head: seq ${r.head.seq} hash ${r.head.hash}` : 'head: (empty log)');
          out('record the head elsewhere: a later verify must reach it (someone able to write the store file could rewrite the whole chain)');
        } else if (r.firstBad) {
          out(`audit log BROKEN at seq ${r.firstBad.seq}: ${REASONS[r.firstBad.reason] ?? r.firstBad.reason}`);
          out(`${r.entries} entries verified before it${r.head ? `, the last of them seq ${r.head.seq} hash ${r.head.hash}` : ''}`);
        }
        process.exitCode = r.intact ? EXIT.ok : EXIT.failed;
      }),
    );

  audit
    .command('export')
    .description('write the whole audit log, in order, as CSV or JSON')
    .option('--format <format>', 'csv or json', (v) => {
      if (v !== 'csv' && v !== 'json') throw new InvalidArgumentError('--format is csv or json');
      return v;
    }, 'csv')
    .option('--out <file>', 'write to this file (default: standard output)')
    .action((opts: { format: 'csv' | 'json'; out?: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { exportAudit } = await import('../services/audit.js');
        const sink = opts.out === undefined ? process.stdout : createWriteStream(resolve(opts.out), { mode: 0o600 });
        for await (const chunk of exportAudit(ctx.store, opts.format)) {
          if (!sink.write(chunk)) await once(sink, 'drain');
        }
        if (sink !== process.stdout) {
          sink.end();
          await once(sink, 'finish');
          process.stderr.write(`audit log written to ${resolve(opts.out as string)}\n`);
        }
      }),
    );
}
