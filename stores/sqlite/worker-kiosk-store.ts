import type { WorkerClient } from '../../src/core/worker-rpc.js';
import type { KioskDeadLetter, KioskDeliveredItem, KioskHealth, KioskHealthPatch, KioskItemKind, KioskQueueInput, KioskQueueItem, KioskStore } from '../../src/store/kiosk-store.js';
import type { StoreCall, WireMethod, WireMethods } from './store-wire.js';

/**
 * The CIM kiosks' part of the store on the worker thread (WorkerSigningStore extends it): each
 * call travels to the thread as it is.
 */
export class WorkerKioskStore implements KioskStore {
  constructor(protected readonly client: WorkerClient<StoreCall>) {}

  protected call<M extends WireMethod>(method: M, ...args: Parameters<WireMethods[M]>): Promise<Awaited<ReturnType<WireMethods[M]>>> {
    return this.client.request({ method, args } as StoreCall) as Promise<Awaited<ReturnType<WireMethods[M]>>>;
  }

  kioskEnqueue(items: KioskQueueInput[]): Promise<void> {
    return this.call('kioskEnqueue', items);
  }
  kioskQueuePage(connection: string, kioskId: string, afterSeq: number, limit: number): Promise<KioskQueueItem[]> {
    return this.call('kioskQueuePage', connection, kioskId, afterSeq, limit);
  }
  kioskDelivered(connection: string, kioskId: string, items: KioskDeliveredItem[]): Promise<void> {
    return this.call('kioskDelivered', connection, kioskId, items);
  }
  kioskSeed(connection: string, kioskId: string, fromKioskId: string): Promise<number> {
    return this.call('kioskSeed', connection, kioskId, fromKioskId);
  }
  kioskAttemptFailed(connection: string, kioskId: string, seq: number, error: { code: string; message: string }, dead: boolean): Promise<void> {
    return this.call('kioskAttemptFailed', connection, kioskId, seq, error, dead);
  }
  kioskHeld(connection: string, kioskId: string, kind: KioskItemKind): Promise<Record<string, string>> {
    return this.call('kioskHeld', connection, kioskId, kind);
  }
  kioskSetHealth(connection: string, kioskId: string, patch: KioskHealthPatch): Promise<void> {
    return this.call('kioskSetHealth', connection, kioskId, patch);
  }
  kioskHealth(connection?: string): Promise<KioskHealth[]> {
    return this.call('kioskHealth', connection);
  }
  kioskDeadLetters(filter: { connection?: string; kioskId?: string }): Promise<KioskDeadLetter[]> {
    return this.call('kioskDeadLetters', filter);
  }
  kioskRequeue(connection: string, kioskId: string, key?: string): Promise<KioskDeadLetter[]> {
    return this.call('kioskRequeue', connection, kioskId, key);
  }
}
