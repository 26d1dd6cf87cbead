import { WorkerCertificateStore } from './worker-certificate-store.js';
import type {
  SigningDocument,
  SigningDocumentState,
  SigningItem,
  SigningRequest,
  SigningRequestFilter,
  SigningRequestState,
  SigningStore,
} from '../../src/store/signing-store.js';

/**
 * The remote signing workflow's part of the store on the worker thread (WorkerConsoleStore
 * extends it, WorkerStateStore extends that): each call travels to the thread as it is.
 */
export class WorkerSigningStore extends WorkerCertificateStore implements SigningStore {

  putSigningDocument(doc: Omit<SigningDocument, 'updatedAt'>): Promise<void> {
    return this.call('putSigningDocument', doc);
  }
  getSigningDocument(job: string, idbanghi: string): Promise<SigningDocument | null> {
    return this.call('getSigningDocument', job, idbanghi);
  }
  signingDocuments(job: string, states?: SigningDocumentState[]): Promise<SigningDocument[]> {
    return this.call('signingDocuments', job, states);
  }
  signingDocumentCounts(job: string): Promise<Record<SigningDocumentState, number>> {
    return this.call('signingDocumentCounts', job);
  }
  putSigningItems(job: string, idbanghi: string, items: Omit<SigningItem, 'job' | 'idbanghi' | 'requestId' | 'signatureValue'>[]): Promise<void> {
    return this.call('putSigningItems', job, idbanghi, items);
  }
  undispatchedSigningItems(job: string): Promise<SigningItem[]> {
    return this.call('undispatchedSigningItems', job);
  }
  signingItemsOf(requestId: string): Promise<SigningItem[]> {
    return this.call('signingItemsOf', requestId);
  }
  signingItemsFor(job: string, idbanghi: string): Promise<SigningItem[]> {
    return this.call('signingItemsFor', job, idbanghi);
  }
  createSigningRequest(request: Omit<SigningRequest, 'items' | 'createdAt' | 'decidedAt' | 'decidedBy'>, items: { idbanghi: string; signatureId: string }[]): Promise<SigningRequest> {
    return this.call('createSigningRequest', request, items);
  }
  getSigningRequest(id: string): Promise<SigningRequest | null> {
    return this.call('getSigningRequest', id);
  }
  signingRequests(job: string, filter?: SigningRequestFilter): Promise<SigningRequest[]> {
    return this.call('signingRequests', job, filter);
  }
  updateSigningRequest(
    id: string,
    from: SigningRequestState[],
    patch: { state: SigningRequestState; transactionId?: string | null; expiresAt?: string | null; reason?: string | null; decidedBy?: string | null; values?: string[] },
  ): Promise<boolean> {
    return this.call('updateSigningRequest', id, from, patch);
  }
  releaseSigningItems(requestId: string): Promise<number> {
    return this.call('releaseSigningItems', requestId);
  }
  removeRecordFromSigningRequest(requestId: string, idbanghi: string, description: string): Promise<number | null> {
    return this.call('removeRecordFromSigningRequest', requestId, idbanghi, description);
  }
}
