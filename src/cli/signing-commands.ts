import type { Command } from 'commander';
import { out, withContext, withReadContext } from './io.js';

// `lienthong signing status|retry|approve|return`: the remote signing workflow for operators
// without the console (docs/signing.md). Actions are audited with the address `cli`.

/** `lienthong signing …` */
export function registerSigningCommands(program: Command): void {
  const signing = program.command('signing').description('remote signing of school records: what waits for whom, review, ask again');

  signing
    .command('status')
    .description('per job: documents by state, requests by state (class, role, masked signer, age, expiry), who is awaited')
    .argument('[job]')
    .option('--json', 'print JSON')
    .action((name: string | undefined, opts: { json?: boolean }, cmd: Command) =>
      withReadContext(cmd, async (ctx) => {
        const [{ signingStatus }, { signingStatusLines }] = await Promise.all([import('../services/signing.js'), import('./format-signing.js')]);
        const status = await signingStatus(ctx, name);
        if (opts.json) out(JSON.stringify(status, null, 2));
        else for (const line of signingStatusLines(status)) out(line);
      }),
    );

  signing
    .command('retry')
    .description('ask again: expired requests, and records returned by a signer (all, or one signer), go out with the next run')
    .argument('<job>')
    .option('--signer <id>', "only this signer's (personal id)")
    .option('--record <idbanghi>', 'only this returned record (expired requests stay for a retry of the job)')
    .action((name: string, opts: { signer?: string; record?: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { retryJobSigning } = await import('../services/signing.js');
        const r = await retryJobSigning(ctx, name, opts.signer, 'cli', 'cli', opts.record);
        out(`${r.items} signature(s) of expired requests and ${r.records} returned record(s) will be asked again by the next run of ${name}`);
      }),
    );

  signing
    .command('approve')
    .description('approve a request held for review: it goes to the signer now')
    .argument('<request>', 'the request id (lienthong signing status)')
    .option('--by <name>', 'who approves (for the audit log)', process.env['USER'] ?? 'cli')
    .action((id: string, opts: { by: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { approveRequest } = await import('../services/signing.js');
        await approveRequest(ctx, id, opts.by);
        out(`request ${id} sent to the signer`);
      }),
    );

  signing
    .command('return')
    .description('return a request held for review (or one record of it, --record): its records go back to the school with the reason')
    .argument('<request>', 'the request id (lienthong signing status)')
    .requiredOption('--reason <text>', 'why (the school sees it)')
    .option('--record <idbanghi>', 'return only this record: the request goes on without it, still in review')
    .option('--by <name>', 'who returns it (for the audit log)', process.env['USER'] ?? 'cli')
    .action((id: string, opts: { reason: string; by: string; record?: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { returnRecord, returnRequest } = await import('../services/signing.js');
        if (opts.record !== undefined) {
          await returnRecord(ctx, id, opts.record, opts.by, opts.reason);
          out(`record ${opts.record} returned: it waits until its data changes or lienthong signing retry; request ${id} stays in review without it`);
          return;
        }
        await returnRequest(ctx, id, opts.by, opts.reason);
        out(`request ${id} returned: its records wait until the data changes or lienthong signing retry`);
      }),
    );
}
