import type { Command } from 'commander';
import type { AuditInput } from '../store/console-store.js';
import type { StateStore } from '../store/store.js';
import { auditCliAction } from './cli-audit.js';
import { out, withContext } from './io.js';

async function audit(store: StateStore, action: string, subject: string, detail: AuditInput['detail']): Promise<void> {
  await auditCliAction(store, action, subject, detail);
}

/** `lienthong users add|list|disable|passwd|token`: the console's accounts, each change audited. */
export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('console accounts: add, list, disable, change a password, make an API token');

  users
    .command('add')
    .description('add an account; the password is read from standard input (first line) or typed at a hidden prompt')
    .argument('<name>')
    .requiredOption('--role <role>', 'viewer, operator, admin, or a signer: teacher, homeroom, principal')
    .option('--personal-id <id>', "a signer's personal id (12-digit CCCD), as the signing requests name them")
    .action((name: string, opts: { role: string; personalId?: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { addUser, checkPersonalId, checkRole, checkUsername } = await import('../services/users.js');
        const { readNewPassword } = await import('./password-input.js');
        // a wrong name, role or personal id is said before the password is asked for
        checkUsername(name);
        checkPersonalId(checkRole(opts.role), opts.personalId);
        const user = await addUser(ctx.store, name, opts.role, await readNewPassword(), opts.personalId);
        await audit(ctx.store, 'user.add', user.username, { role: user.role, ...(user.personalId ? { personalId: user.personalId } : {}) });
        out(`account ${user.username} added (${user.role}${user.personalId ? `, ${user.personalId}` : ''})`);
      }),
    );

  users
    .command('list')
    .description('list the accounts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { listUsers } = await import('../services/users.js');
        const list = await listUsers(ctx.store);
        if (opts.json) return out(JSON.stringify(list, null, 2));
        if (list.length === 0) return out('no accounts yet: lienthong users add NAME --role admin');
        for (const u of list) out(`${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\tsince ${u.createdAt}`);
      }),
    );

  users
    .command('disable')
    .description('disable an account: it can no longer log in, its sessions end, its API tokens are revoked')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { disableUser } = await import('../services/users.js');
        const r = await disableUser(ctx.store, name);
        await audit(ctx.store, 'user.disable', name, { revokedTokens: r.revokedTokens });
        out(`account ${name} disabled; ${r.revokedTokens} API token(s) revoked`);
      }),
    );

  users
    .command('passwd')
    .description("set an account's password (standard input or a hidden prompt)")
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { setPassword } = await import('../services/users.js');
        const { readNewPassword } = await import('./password-input.js');
        await setPassword(ctx.store, name, await readNewPassword());
        await audit(ctx.store, 'user.passwd', name, {});
        out(`password of ${name} changed; the account's console sessions end at their next request`);
      }),
    );

  users
    .command('token')
    .description('make a personal API token for scripts (Authorization: Bearer); it is shown once, only its hash is kept')
    .argument('<name>')
    .option('--label <label>', 'what the token is for', '')
    .action((name: string, opts: { label: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const { createApiToken } = await import('../services/users.js');
        const { token, row } = await createApiToken(ctx.store, name, opts.label);
        await audit(ctx.store, 'token.create', name, { tokenId: row.id, label: row.label });
        out(token);
        process.stderr.write(`API token ${row.id} for ${name}: printed above, once; keep it secret\n`);
      }),
    );
}
