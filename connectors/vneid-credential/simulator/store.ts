import type { PublishRequest } from '../credential.js';

/**
 * What the simulated credential service holds: one credential per credentialKey (updated when a
 * new documentHash is published under it), and the first answer to each message id (a message
 * sent again is answered the same, and applied once).
 */

export type CredentialStatus = 'ACTIVE' | 'REVOKED';

export interface StoredCredential {
  credentialId: string;
  credentialKey: string;
  credentialType: string;
  personalId: string;
  title: string;
  issuerName: string;
  issueDate: string;
  documentHash: string;
  verifyUrl: string | null;
  status: CredentialStatus;
  /** the X-Road member that published it */
  memberCode: string;
  /** how many times it was published with a new content (1 for the first) */
  publications: number;
  revocations: number;
  updatedAt: string;
}

export interface ServiceAnswer {
  resultCode: string;
  message: string;
  credentialId?: string;
  credential?: { credentialId: string; credentialKey: string; credentialType: string; documentHash: string; status: CredentialStatus }[];
}

/** a PublishCredentialRequest as the service receives it: any credentialType, checked here */
export type PublishArgs = Omit<PublishRequest, 'credentialType'> & { credentialType: string };

const PERSONAL_ID = /^[0-9]{12}$/;
const TYPES = new Set(['DIPLOMA', 'SCHOOL_RECORD', 'CERTIFICATE']);
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const HASH = /^[0-9a-f]{64}$/;

/** What a CredentialStore holds, as JSON: what a simulator keeps in its state file between starts. */
export interface CredentialStoreSnapshot {
  sequence: number;
  credentials: StoredCredential[];
  answers: [string, { operation: string; answer: ServiceAnswer }][];
}

export class CredentialStore {
  private readonly byKey = new Map<string, StoredCredential>();
  private readonly byId = new Map<string, StoredCredential>();
  private readonly answers = new Map<string, { operation: string; answer: ServiceAnswer }>();
  private sequence = 0;

  constructor(private readonly now: () => number) {}

  /** the first answer to this message id, when it was answered with a decision */
  replay(messageId: string): { operation: string; answer: ServiceAnswer } | undefined {
    return this.answers.get(messageId);
  }

  /**
   * Keeps the answer for replays. Only decisions about the request are kept (00, 01, 10, 11): a
   * "busy", an internal error or a unit not (yet) authorised asks the client to come back, and its
   * retry must be served afresh.
   */
  remember(messageId: string, operation: string, answer: ServiceAnswer): void {
    if (['00', '01', '10', '11'].includes(answer.resultCode)) this.answers.set(messageId, { operation, answer });
  }

  publish(args: PublishArgs, memberCode: string): ServiceAnswer {
    const invalid = invalidPublishField(args);
    if (invalid !== undefined) return { resultCode: '10', message: invalid };
    const existing = this.byKey.get(args.credentialKey);
    const stamp = new Date(this.now()).toISOString();
    if (existing !== undefined) {
      if (existing.documentHash === args.documentHash && existing.status === 'ACTIVE' && existing.personalId === args.personalId) {
        return { resultCode: '01', message: 'already published with this credentialKey and documentHash', credentialId: existing.credentialId };
      }
      Object.assign(existing, fieldsOf(args), { status: 'ACTIVE' as const, memberCode, publications: existing.publications + 1, updatedAt: stamp });
      return { resultCode: '00', message: 'updated', credentialId: existing.credentialId };
    }
    this.sequence += 1;
    const credential: StoredCredential = {
      credentialId: `VC-${String(this.sequence).padStart(8, '0')}`,
      ...fieldsOf(args),
      status: 'ACTIVE',
      memberCode,
      publications: 1,
      revocations: 0,
      updatedAt: stamp,
    };
    this.byKey.set(credential.credentialKey, credential);
    this.byId.set(credential.credentialId, credential);
    return { resultCode: '00', message: 'published', credentialId: credential.credentialId };
  }

  revoke(args: { personalId: string; credentialId: string; reason: string }): ServiceAnswer {
    if (!PERSONAL_ID.test(args.personalId ?? '')) return { resultCode: '10', message: 'personalId: not 12 digits' };
    if (typeof args.reason !== 'string' || args.reason.trim() === '') return { resultCode: '10', message: 'reason: missing' };
    const credential = this.byId.get(args.credentialId);
    if (credential === undefined || credential.personalId !== args.personalId) return { resultCode: '10', message: 'credentialId: no such credential for this personalId' };
    if (credential.status === 'REVOKED') return { resultCode: '01', message: 'already revoked' };
    credential.status = 'REVOKED';
    credential.revocations += 1;
    credential.updatedAt = new Date(this.now()).toISOString();
    return { resultCode: '00', message: 'revoked' };
  }

  query(personalId: string): ServiceAnswer {
    if (!PERSONAL_ID.test(personalId ?? '')) return { resultCode: '10', message: 'personalId: not 12 digits' };
    const credential = [...this.byKey.values()]
      .filter((c) => c.personalId === personalId)
      .map((c) => ({ credentialId: c.credentialId, credentialKey: c.credentialKey, credentialType: c.credentialType, documentHash: c.documentHash, status: c.status }));
    return { resultCode: '00', message: `${credential.length} credential(s)`, credential };
  }

  /** every credential held (copies) */
  credentials(): StoredCredential[] {
    return [...this.byKey.values()].map((c) => ({ ...c }));
  }

  get(credentialKey: string): StoredCredential | undefined {
    const c = this.byKey.get(credentialKey);
    return c === undefined ? undefined : { ...c };
  }

  /** everything it holds, to be given to `load` later (the simulator's state file) */
  snapshot(): CredentialStoreSnapshot {
    return { sequence: this.sequence, credentials: this.credentials(), answers: [...this.answers.entries()] };
  }

  /** replaces what it holds with a snapshot */
  load(snapshot: CredentialStoreSnapshot): void {
    this.clear();
    this.sequence = snapshot.sequence;
    for (const c of snapshot.credentials) {
      const copy = { ...c };
      this.byKey.set(copy.credentialKey, copy);
      this.byId.set(copy.credentialId, copy);
    }
    for (const [id, a] of snapshot.answers) this.answers.set(id, a);
  }

  clear(): void {
    this.byKey.clear();
    this.byId.clear();
    this.answers.clear();
    this.sequence = 0;
  }
}

function fieldsOf(a: PublishArgs): Pick<StoredCredential, 'credentialKey' | 'credentialType' | 'personalId' | 'title' | 'issuerName' | 'issueDate' | 'documentHash' | 'verifyUrl'> {
  return {
    credentialKey: a.credentialKey,
    credentialType: a.credentialType,
    personalId: a.personalId,
    title: a.title,
    issuerName: a.issuerName,
    issueDate: a.issueDate,
    documentHash: a.documentHash,
    verifyUrl: a.verifyUrl ?? null,
  };
}

/** the first field of a PublishCredentialRequest the XSD refuses, named as the service's message names it */
function invalidPublishField(a: PublishArgs): string | undefined {
  const text = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '' && v.length <= 500;
  if (!PERSONAL_ID.test(String(a.personalId ?? ''))) return 'personalId: not 12 digits';
  if (!TYPES.has(String(a.credentialType))) return 'credentialType: not DIPLOMA, SCHOOL_RECORD or CERTIFICATE';
  if (!text(a.credentialKey)) return 'credentialKey: missing or longer than 500';
  if (!text(a.title)) return 'title: missing or longer than 500';
  if (!text(a.issuerName)) return 'issuerName: missing or longer than 500';
  if (!DATE.test(String(a.issueDate ?? ''))) return 'issueDate: not YYYY-MM-DD';
  if (!HASH.test(String(a.documentHash ?? ''))) return 'documentHash: not a SHA-256 in lowercase hex';
  return undefined;
}
