import { userInfo } from 'node:os';
import type { AuditInput } from '../store/console-store.js';
import type { StateStore } from '../store/store.js';

/** who ran a command on this machine, as the audit log names them (not a console account) */
export function cliActor(): string {
  try {
    return `os:${userInfo().username}`;
  } catch {
    return 'os:?';
  }
}

/**
 * Appends what a command did to the audit log, as the console does for the same action (the same
 * action names: `job.run`, `deadletters.requeue`, `job.reconcile`, `user.*`), with the machine's
 * user as the actor and `cli` as the address: an action is accountable whichever way it was taken.
 */
export async function auditCliAction(store: StateStore, action: string, subject: string, detail: AuditInput['detail'], outcome: AuditInput['outcome'] = 'ok'): Promise<void> {
  const { recordAudit } = await import('../services/audit.js');
  await recordAudit(store, { actor: cliActor(), action, subject, address: 'cli', outcome, detail });
}
