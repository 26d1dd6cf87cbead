/**
 * Dependencies between the destinations of one job (`after:` in a job's destination): a dependent
 * destination takes a record only once its upstream accepted the record's current version, with
 * the very content the dependent sends (e.g. a credential service publishes only what the ministry
 * hub holds). The ledger is the only state: a dependent record waits in its own outbox, and the
 * upstream's ledger row says when it may go. A crash between the upstream's acceptance and the
 * dependent's send loses nothing: the dependent's row was staged in the same transaction as the
 * upstream's, and the next run's outbox drain finds the upstream accepted.
 */
import type { LedgerEntry, OutboxItem, StateStore, TargetId } from '../store/store.js';

export { dependencyDepth, dependencyOrder, resolveUpstreams, type DestinationRef } from '../config/after.js';

/** Why a dependent record waits: a short kind (for the run's notice) and a message (for the ledger). */
export interface WaitReason {
  code: 'AWAITING_UPSTREAM';
  kind: 'never staged there' | 'another version there' | 'other content held there' | 'rejected there' | 'given up there' | 'in conflict there' | 'not accepted there yet';
  message: string;
}

/** Why a dependent record cannot go yet, given the upstream's ledger entry for it. */
export function waitReason(upstream: TargetId, entry: LedgerEntry | undefined, contentHash: string): WaitReason {
  const code = 'AWAITING_UPSTREAM';
  const at = `waiting for ${upstream}:`;
  if (entry === undefined) return { code, kind: 'never staged there', message: `${at} this record was never staged there` };
  if (entry.contentHash !== contentHash) return { code, kind: 'another version there', message: `${at} it holds another version of this record (phienban ${entry.phienban}, ${entry.status}); this version goes once it accepts the same content` };
  switch (entry.status) {
    case 'accepted':
      return { code, kind: 'other content held there', message: `${at} it accepted phienban ${entry.phienban} but says it holds another content hash than the one staged` };
    case 'rejected':
      return { code, kind: 'rejected there', message: `${at} it rejected phienban ${entry.phienban} (${entry.lastError?.code ?? 'REJECTED'}); fix the record at the source` };
    case 'dead':
      return { code, kind: 'given up there', message: `${at} its delivery of phienban ${entry.phienban} gave up (${entry.lastError?.code ?? 'DEAD'}); retry its dead letters` };
    case 'stale':
      return { code, kind: 'in conflict there', message: `${at} phienban ${entry.phienban} is in a version conflict there; resolve it first` };
    default:
      return { code, kind: 'not accepted there yet', message: `${at} phienban ${entry.phienban} is not accepted there yet (${entry.status}); the next run sends it once it is` };
  }
}

/** The run's notice for the records of one dependent destination left waiting: how many, and why. */
export function waitingNotice(target: TargetId, upstream: TargetId, reasons: readonly WaitReason[]): string {
  const byKind = new Map<string, number>();
  for (const r of reasons) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const why = [...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind}: ${n}`).join(', ');
  return `${reasons.length} record(s) for ${target} wait for ${upstream} to accept them (${why}); they stay pending and go once it does (lienthong status lists them)`;
}

/**
 * True when the upstream's ledger says it accepted exactly this content: same content hash in the
 * ledger and, when the upstream said which content it holds (the hub's `contentHash`), that one too.
 */
export function upstreamHolds(entry: LedgerEntry | undefined, contentHash: string): boolean {
  return entry !== undefined && entry.status === 'accepted' && entry.contentHash === contentHash && (entry.hubContentHash === null || entry.hubContentHash === contentHash);
}

/**
 * The gate of one dependent destination: lets through the records its upstream holds, keeps the
 * others until the upstream accepts them (told by `upstreamAccepted`) or the run ends (`close`).
 */
export class UpstreamGate {
  /** records waiting, by idbanghi (a newer staged version replaces an older one) */
  private readonly waiting = new Map<string, OutboxItem>();
  /** releases in progress (each reads the ledger, then hands records on) */
  private releasing: Promise<void> = Promise.resolve();
  /** a release that failed (the store, say): kept so that no promise is left rejected unheard, thrown by idle() */
  private failure: unknown;

  constructor(
    readonly upstream: TargetId,
    private readonly store: StateStore,
    /** hands released records to the dependent destination's deliverer */
    private readonly release: (items: OutboxItem[]) => Promise<void>,
  ) {}

  /** the records of `items` the upstream holds; the others wait */
  async admit(items: OutboxItem[]): Promise<OutboxItem[]> {
    if (items.length === 0) return items;
    const entries = await this.store.getLedgerEntries(this.upstream, items.map((i) => i.idbanghi));
    const ready: OutboxItem[] = [];
    for (const item of items) {
      if (upstreamHolds(entries.get(item.idbanghi), item.contentHash)) {
        this.waiting.delete(item.idbanghi);
        ready.push(item);
      } else {
        const before = this.waiting.get(item.idbanghi);
        if (before === undefined || before.phienban <= item.phienban) this.waiting.set(item.idbanghi, item);
      }
    }
    return ready;
  }

  /** the upstream accepted these records: those waiting here are checked again and released */
  upstreamAccepted(idbanghis: string[]): void {
    const candidates = idbanghis.map((id) => this.waiting.get(id)).filter((i): i is OutboxItem => i !== undefined);
    if (candidates.length === 0) return;
    this.releasing = this.releasing
      .then(async () => {
        const ready = await this.admit(candidates);
        if (ready.length > 0) await this.release(ready);
      })
      .catch((err: unknown) => {
        this.failure ??= err;
      });
  }

  /** waits for releases in progress; throws what made one fail */
  async idle(): Promise<void> {
    await this.releasing;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * The run's last look, once the upstream has settled everything it will this run: releases what
   * it now holds (an acceptance told before its record reached the gate), and answers the rest
   * with why each waits.
   */
  async close(): Promise<{ item: OutboxItem; reason: WaitReason }[]> {
    await this.idle();
    const all = [...this.waiting.values()];
    const ready = await this.admit(all);
    if (ready.length > 0) await this.release(ready);
    const left = [...this.waiting.values()];
    const entries = await this.store.getLedgerEntries(this.upstream, left.map((i) => i.idbanghi));
    return left.map((item) => ({ item, reason: waitReason(this.upstream, entries.get(item.idbanghi), item.contentHash) }));
  }
}
