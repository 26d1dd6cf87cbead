/**
 * `lienthong check`, the remote signing part: every job that signs school records through a remote
 * signing service (`transform.signing.mode: remote`) has that service probed as the connections are
 * (reachable, client credentials accepted, credentials/list served), so a wrong secret or a service
 * that is down shows before the first run, not as records waiting for nobody.
 */
import type { LoadedConfig } from '../config/load.js';
import { LienthongError, type ErrorKind } from '../core/errors.js';
import { resolveSecret } from '../core/secret-reference.js';
import { RemoteSigningClient } from '../../connectors/remote-signing/client.js';
import { remoteSigningConnectionSchema } from '../../connectors/remote-signing/config.js';

/** a check waits this long at most for a service that does not answer (the runs use the job's budget) */
const CHECK_RETRY_BUDGET_MS = 3_000;
const CHECK_TIMEOUT_MS = 10_000;

/** How check names a job's signing service in its findings. */
export function signingServiceName(job: string): string {
  return `job ${job}: signing service`;
}

/** A job's signing service as check reports it: a connection finding (check.ts prints it as one). */
export interface SigningServiceFinding {
  connection: string;
  type: 'connection';
  ok: boolean;
  message: string;
  errorKind?: ErrorKind;
}

/** One finding per job with remote signing, in job order. */
export async function checkSigningServices(loaded: LoadedConfig): Promise<SigningServiceFinding[]> {
  const findings: SigningServiceFinding[] = [];
  for (const job of loaded.jobs.values()) {
    const signing = (job.transform as { signing?: { mode?: unknown; service?: unknown } } | undefined)?.signing;
    if (signing?.mode !== 'remote') continue;
    const connection = signingServiceName(job.name);
    const parsed = remoteSigningConnectionSchema.safeParse(signing.service);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      findings.push({ connection, type: 'connection', ok: false, message: `transform.signing.service: ${issues}`, errorKind: 'config' });
      continue;
    }
    let client: RemoteSigningClient | undefined;
    try {
      const service = parsed.data;
      const clientSecret = resolveSecret(service.clientSecret, loaded.baseDir, { path: 'transform.signing.service.clientSecret' });
      client = new RemoteSigningClient({
        ...service,
        clientSecret,
        retryBudgetMs: Math.min(service.retryBudgetMs, CHECK_RETRY_BUDGET_MS),
        timeoutMs: Math.min(service.timeoutMs, CHECK_TIMEOUT_MS),
        name: connection,
      });
      findings.push({ connection, type: 'connection', ok: true, message: await client.probe() });
    } catch (err) {
      const kind = err instanceof LienthongError ? err.kind : undefined;
      const message = err instanceof Error ? err.message : String(err);
      const next = kind === 'config' ? '' : ': records to sign will wait until it answers (check the service, its baseUrl and the network)';
      findings.push({ connection, type: 'connection', ok: false, message: `${message}${next}`, ...(kind === undefined ? {} : { errorKind: kind }) });
    } finally {
      client?.close();
    }
  }
  return findings;
}
