/**
 * What the remote signing workflow keeps in the state store (docs/signing.md): per school record,
 * the partially signed document and who it waits for; per signer, class and role, the signing
 * requests sent to (or held for review before) the signing service, with the digests each covers.
 * A part of the StateStore contract, kept in its own file like ConsoleStore: the engine never uses
 * it, the hocba-sign transform and src/services/signing.ts do.
 */

/**
 * `awaiting`: signatures are still missing (prepared items wait for their signers); `complete`:
 * every person's signature is in and verified (the seal is added when the record is sent);
 * `returned`: a signer rejected, with a reason: not asked again until the data changes or staff
 * ask again (`lienthong signing retry`).
 */
export type SigningDocumentState = 'awaiting' | 'complete' | 'returned';
export const SIGNING_DOCUMENT_STATES: readonly SigningDocumentState[] = ['awaiting', 'complete', 'returned'];

/**
 * `review`: made, held until the signer (or an operator for them) approves it in the console or
 * the CLI; `requested`: sent to the signing service, waiting for the signer's phone; `approved`:
 * the service returned the values, not yet written into every document; `completed`: written and
 * verified; `rejected` (with the signer's reason) and `expired`: nothing signed.
 */
export type SigningRequestState = 'review' | 'requested' | 'approved' | 'rejected' | 'expired' | 'completed';
export const SIGNING_REQUEST_STATES: readonly SigningRequestState[] = ['review', 'requested', 'approved', 'rejected', 'expired', 'completed'];

/** A signer a document waits for. The personal id is kept (it names the signer to the service), never logged. */
export interface AwaitedSignerRow {
  /** `subject:<mamonhoc>`, `homeroom` or `principal` */
  role: string;
  signerId: string;
}

export interface SigningDocument {
  job: string;
  idbanghi: string;
  /** the content hash of the mapped record the document was built from: another hash is a data change */
  contentHash: string;
  phienban: number;
  /** the document as signed so far (prepared signatures have an empty value until completed) */
  xml: string;
  state: SigningDocumentState;
  awaiting: AwaitedSignerRow[];
  /** the signer's reason when returned */
  reason: string | null;
  updatedAt: string;
}

/** One prepared signature of one document: the digest that goes to the signer's service. */
export interface SigningItem {
  job: string;
  idbanghi: string;
  /** the ds:Signature Id in the document */
  signatureId: string;
  /** `<school>/<class>/<year>`: the requests are per class */
  classKey: string;
  role: string;
  signerId: string;
  /** base64 SHA-256 of the canonical SignedInfo */
  digest: string;
  /** the request it went out in; null while prepared and not dispatched */
  requestId: string | null;
  /** base64 signature value once the service returned it; null before */
  signatureValue: string | null;
}

export interface SigningRequest {
  /** the clientRequestId sent to the service: resending it never makes a second transaction */
  id: string;
  job: string;
  classKey: string;
  role: string;
  signerId: string;
  state: SigningRequestState;
  transactionId: string | null;
  expiresAt: string | null;
  /** the signer's reason for a rejection, or the operator's for a return in review */
  reason: string | null;
  /** what the signer sees on their phone: school, class, subject or role, number of pupils */
  description: string;
  /** how many hashes it carries */
  items: number;
  createdAt: string;
  decidedAt: string | null;
  /** who approved or returned it in review (an account, or `cli`) */
  decidedBy: string | null;
}

export interface SigningRequestFilter {
  state?: SigningRequestState[];
  signerId?: string;
}

export interface SigningStore {
  /** writes a document's signing state (one per job and idbanghi), replacing the one before */
  putSigningDocument(doc: Omit<SigningDocument, 'updatedAt'>): Promise<void>;
  getSigningDocument(job: string, idbanghi: string): Promise<SigningDocument | null>;
  /** a job's documents, in idbanghi order, optionally of some states */
  signingDocuments(job: string, states?: SigningDocumentState[]): Promise<SigningDocument[]>;
  /** how many documents of a job are in each state */
  signingDocumentCounts(job: string): Promise<Record<SigningDocumentState, number>>;

  /**
   * replaces a document's prepared items (a new preparation after a data change drops the items of
   * signatures that no longer exist); items already in a request keep their request id
   */
  putSigningItems(job: string, idbanghi: string, items: Omit<SigningItem, 'job' | 'idbanghi' | 'requestId' | 'signatureValue'>[]): Promise<void>;
  /** a job's items not in any request (to dispatch), in class, role, signer, idbanghi order */
  undispatchedSigningItems(job: string): Promise<SigningItem[]>;
  /** the items of a request, in the order they were sent */
  signingItemsOf(requestId: string): Promise<SigningItem[]>;
  /** a document's items */
  signingItemsFor(job: string, idbanghi: string): Promise<SigningItem[]>;

  /** makes a request and attaches the items (by idbanghi and signatureId) to it, in one transaction */
  createSigningRequest(request: Omit<SigningRequest, 'items' | 'createdAt' | 'decidedAt' | 'decidedBy'>, items: { idbanghi: string; signatureId: string }[]): Promise<SigningRequest>;
  getSigningRequest(id: string): Promise<SigningRequest | null>;
  /** a job's requests, oldest first (made together: by class, role and signer) */
  signingRequests(job: string, filter?: SigningRequestFilter): Promise<SigningRequest[]>;
  /**
   * moves a request to a new state; `from` guards against a race (false when the request is no
   * longer in one of those states). Values, when given, are written to its items in sent order.
   */
  updateSigningRequest(
    id: string,
    from: SigningRequestState[],
    patch: { state: SigningRequestState; transactionId?: string | null; expiresAt?: string | null; reason?: string | null; decidedBy?: string | null; values?: string[] },
  ): Promise<boolean>;
  /** detaches the items of a request (rejected or expired, asked again by `retry`): they are prepared items again */
  releaseSigningItems(requestId: string): Promise<number>;
  /**
   * takes one record's items out of a request still in review (its signer returned that record
   * only): they are prepared items again; the request keeps the others, renumbered in sent order,
   * with its item count and `description` (what the phone will show) updated, in one transaction.
   * Answers how many items the request keeps, or null when it is no longer in review or does not
   * carry the record.
   */
  removeRecordFromSigningRequest(requestId: string, idbanghi: string, description: string): Promise<number | null>;
}
