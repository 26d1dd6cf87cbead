/**
 * The remote signing workflow for the CLI and the console (docs/signing.md): what waits for whom,
 * approve or return a request held for review, ask again. The workflow itself lives with the
 * hocba-sign transform that prepares the signatures (transforms/hocba-sign/remote-workflow.ts);
 * an action that reaches the signing service builds the job's transform for its client.
 */
import { randomUUID } from 'node:crypto';
import { getJob } from '../config/load.js';
import { ConfigError } from '../core/errors.js';
import { maskPersonalId } from '../core/redact.js';
import { buildTransformer } from '../engine/assemble.js';
import { SIGNING_REQUEST_STATES, type SigningDocumentState, type SigningRequestState } from '../store/signing-store.js';
import { RemoteSigningTransformer } from '../../transforms/hocba-sign/remote.js';
import { approveSigningRequest, collectSigning, dispatchSigning, retrySigning, returnSigningRecord, returnSigningRequest, type CollectResult, type SigningEnv } from '../../transforms/hocba-sign/remote-workflow.js';
import type { ServiceContext } from './context.js';

export { approveSigningRequest, collectSigning, dispatchSigning, requestDescription, retrySigning, returnSigningRecord, returnSigningRequest, type CollectResult, type DispatchResult, type SignerRefusal, type SigningEnv } from '../../transforms/hocba-sign/remote-workflow.js';

export interface SigningRequestView {
  id: string;
  classKey: string;
  role: string;
  /** the signer's personal id, masked */
  signer: string;
  state: SigningRequestState;
  items: number;
  /** minutes since it was made */
  ageMinutes: number;
  expiresAt: string | null;
  reason: string | null;
  description: string;
}

export interface JobSigningStatus {
  job: string;
  documents: Record<SigningDocumentState, number>;
  requests: Record<SigningRequestState, number>;
  /** requests not finished (review, requested, approved), rejected or expired, oldest first */
  open: SigningRequestView[];
  /** who the awaiting documents wait for: role, masked id, how many records */
  awaited: { role: string; signer: string; records: number }[];
}

/** Per job (every job, or the one named): documents by state, requests by state, who is awaited. */
export async function signingStatus(ctx: ServiceContext, name?: string, now: Date = new Date()): Promise<JobSigningStatus[]> {
  const jobs = name === undefined ? [...ctx.loaded.jobs.values()] : [getJob(ctx.loaded, name)];
  const result: JobSigningStatus[] = [];
  for (const job of jobs) {
    const documents = await ctx.store.signingDocumentCounts(job.name);
    const all = await ctx.store.signingRequests(job.name);
    if (name === undefined && all.length === 0 && Object.values(documents).every((n) => n === 0)) continue;
    const requests = Object.fromEntries(SIGNING_REQUEST_STATES.map((s) => [s, all.filter((r) => r.state === s).length])) as Record<SigningRequestState, number>;
    const open = all
      .filter((r) => r.state !== 'completed')
      .map((r) => ({
        id: r.id,
        classKey: r.classKey,
        role: r.role,
        signer: maskPersonalId(r.signerId),
        state: r.state,
        items: r.items,
        ageMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(r.createdAt)) / 60_000)),
        expiresAt: r.expiresAt,
        reason: r.reason,
        description: r.description,
      }));
    const awaitedBy = new Map<string, { role: string; signer: string; records: number }>();
    for (const doc of await ctx.store.signingDocuments(job.name, ['awaiting', 'returned'])) {
      for (const a of doc.awaiting) {
        const key = `${a.role}\n${a.signerId}`;
        const entry = awaitedBy.get(key) ?? { role: a.role, signer: maskPersonalId(a.signerId), records: 0 };
        entry.records++;
        awaitedBy.set(key, entry);
      }
    }
    result.push({ job: job.name, documents, requests, open, awaited: [...awaitedBy.values()].sort((a, b) => b.records - a.records) });
  }
  return result;
}

/** Runs `fn` with the signing environment of the job's remote-signing transform (its client, its options). */
async function withSigningEnv<T>(ctx: ServiceContext, name: string, address: string, fn: (env: SigningEnv) => Promise<T>): Promise<T> {
  const job = getJob(ctx.loaded, name);
  const transformer = buildTransformer(ctx.loaded, job, ctx.store);
  try {
    if (!(transformer instanceof RemoteSigningTransformer)) {
      throw new ConfigError('SIGNING_NOT_REMOTE', `job ${job.name} does not sign remotely (transform.signing.mode: remote)`, { job: job.name, path: 'transform.signing' });
    }
    return await fn({ ...transformer.signingEnv(), address });
  } finally {
    await transformer?.close();
  }
}

async function jobOfRequest(ctx: ServiceContext, id: string): Promise<string> {
  const request = await ctx.store.getSigningRequest(id);
  if (!request) throw new ConfigError('SIGNING_REQUEST_NOT_FOUND', `no signing request ${id}`, { request: id });
  return request.job;
}

/** `lienthong signing approve`: the request goes to the signer's phone. */
export async function approveRequest(ctx: ServiceContext, id: string, by: string, address = 'cli'): Promise<void> {
  await withSigningEnv(ctx, await jobOfRequest(ctx, id), address, (env) => approveSigningRequest(env, id, by));
}

/** `lienthong signing return`: the request's records go back to the school with the reason. */
export async function returnRequest(ctx: ServiceContext, id: string, by: string, reason: string, address = 'cli'): Promise<void> {
  await withSigningEnv(ctx, await jobOfRequest(ctx, id), address, (env) => returnSigningRequest(env, id, by, reason));
}

/** `lienthong signing return --record`: one record goes back to the school, the request goes on without it. */
export async function returnRecord(ctx: ServiceContext, id: string, idbanghi: string, by: string, reason: string, address = 'cli'): Promise<void> {
  await withSigningEnv(ctx, await jobOfRequest(ctx, id), address, (env) => returnSigningRecord(env, id, idbanghi, by, reason));
}

/** `lienthong signing retry`: expired requests and returned records are asked again by the next run. */
export async function retryJobSigning(ctx: ServiceContext, name: string, signerId?: string, by = 'cli', address = 'cli', idbanghi?: string): Promise<{ items: number; records: number }> {
  return withSigningEnv(ctx, name, address, (env) => retrySigning(env, getJob(ctx.loaded, name).name, signerId, by, idbanghi));
}

/** The jobs whose people sign remotely (`transform.signing.mode: remote`): the scheduler's signing tick looks after them. */
export function remoteSigningJobs(ctx: Pick<ServiceContext, 'loaded'>): string[] {
  return [...ctx.loaded.jobs.values()]
    .filter((job) => {
      const t = job.transform as { kind?: string; signing?: { mode?: string } } | undefined;
      return t?.kind === 'hocba-sign' && t.signing?.mode === 'remote';
    })
    .map((job) => job.name);
}

/** how long the signing tick may hold the job's lock (a run's lock is renewed; a tick is short) */
const SIGNING_TICK_LOCK_MS = 10 * 60_000;

/**
 * Between a job's runs (`lienthong start`, every minute): collects the signers' decisions and sends
 * the prepared signatures not yet in a request, under the job's lock as a run does. It prepares
 * nothing new: the next run does. Answers null when the job is running (here or elsewhere).
 */
export async function collectAndDispatch(ctx: ServiceContext, name: string): Promise<{ collected: CollectResult; dispatched: number; refused: number } | null> {
  const owner = `signing-tick:${process.pid}:${randomUUID()}`;
  if (!(await ctx.store.acquireLock(name, owner, SIGNING_TICK_LOCK_MS))) return null;
  try {
    return await withSigningEnv(ctx, name, 'scheduler', async (env) => {
      const collected = await collectSigning(env, name);
      const dispatched = await dispatchSigning(env, name);
      return { collected, dispatched: dispatched.requests.length, refused: dispatched.refused.length };
    });
  } finally {
    await ctx.store.releaseLock(name, owner);
  }
}
