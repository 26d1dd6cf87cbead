import { constants, createHash, privateEncrypt, randomBytes, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import { issueTestCertificate, type IssueOptions, type TestCa } from '../../../documents/pki/test-pki.js';

/**
 * How a simulated signer answers requests: `auto` approves `delayMs` after the request, `reject`
 * refuses with `reason` after `delayMs`, `manual` waits for `approve`/`reject` (tests, the console
 * demo), `never` lets the request expire.
 */
export type ApprovalPolicy =
  | { mode: 'auto'; delayMs?: number }
  | { mode: 'reject'; reason: string; delayMs?: number }
  | { mode: 'manual' }
  | { mode: 'never' };

export interface SimulatedSignerSpec {
  /** the 12-digit personal id the service knows the signer by (credentials/list userId) */
  personalId: string;
  /** the certificate's common name */
  name: string;
  organization?: string;
  /** this signer's policy; absent: the simulator's global one */
  policy?: ApprovalPolicy;
  /** the id written as CCCD:<id> in the certificate (default personalId; another to test the mismatch check) */
  certificatePersonalId?: string;
  validFrom?: Date;
  validTo?: Date;
  keyUsage?: IssueOptions['keyUsage'];
  /** issue from this CA instead of the simulator's (a CA the client does not trust) */
  ca?: TestCa;
  keyStatus?: 'enabled' | 'disabled';
  certStatus?: 'valid' | 'expired' | 'revoked';
}

export interface SimulatedSigner {
  personalId: string;
  credentialId: string;
  certPem: string;
  /** the certificate chain as the service answers it: leaf, then the issuing CA */
  chainPem: string[];
  keyPem: string;
  policy: ApprovalPolicy | undefined;
  keyStatus: 'enabled' | 'disabled';
  certStatus: 'valid' | 'expired' | 'revoked';
}

type Decision = { status: 'APPROVED'; signatures: Buffer[]; approvedAt: number } | { status: 'REJECTED'; reason: string };

export interface Transaction {
  transactionId: string;
  clientId: string;
  clientRequestId: string;
  /** what makes a repeated clientRequestId the same request */
  fingerprint: string;
  credentialId: string;
  personalId: string;
  hashes: Buffer[];
  description: string;
  createdAt: number;
  expiresAt: number;
  policy: ApprovalPolicy;
  decision?: Decision;
}

export type TransactionView =
  | { status: 'PENDING' }
  | { status: 'APPROVED'; signatures: string[]; approvedAt: string }
  | { status: 'REJECTED'; reason: string }
  | { status: 'EXPIRED' };

/** DER of DigestInfo { sha256, NULL } up to the digest: what PKCS#1 v1.5 signs (RFC 8017 §9.2) */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** The simulated service's signers and transactions; time comes from `now` so tests can move it. */
export class SigningState {
  readonly signers = new Map<string, SimulatedSigner>();
  private readonly byCredential = new Map<string, SimulatedSigner>();
  private readonly transactions = new Map<string, Transaction>();
  private readonly byClientRequest = new Map<string, Transaction>();
  globalPolicy: ApprovalPolicy = { mode: 'auto' };

  constructor(
    private readonly ca: TestCa,
    private readonly now: () => number,
    private readonly transactionTtlMs: number,
  ) {}

  addSigner(spec: SimulatedSignerSpec): SimulatedSigner {
    if (!/^\d{12}$/.test(spec.personalId)) throw new Error('a simulated signer needs a 12-digit personal id');
    const ca = spec.ca ?? this.ca;
    const credential = issueTestCertificate(ca, {
      commonName: spec.name,
      personalId: spec.certificatePersonalId ?? spec.personalId,
      ...(spec.organization === undefined ? {} : { organization: spec.organization }),
      ...(spec.validFrom === undefined ? {} : { validFrom: spec.validFrom }),
      ...(spec.validTo === undefined ? {} : { validTo: spec.validTo }),
      ...(spec.keyUsage === undefined ? {} : { keyUsage: spec.keyUsage }),
    });
    const signer: SimulatedSigner = {
      personalId: spec.personalId,
      credentialId: `cred-${randomBytes(8).toString('hex')}`,
      certPem: credential.certPem,
      chainPem: [credential.certPem, ca.certPem],
      keyPem: credential.keyPem,
      policy: spec.policy,
      keyStatus: spec.keyStatus ?? 'enabled',
      certStatus: spec.certStatus ?? 'valid',
    };
    this.signers.set(spec.personalId, signer);
    this.byCredential.set(signer.credentialId, signer);
    return signer;
  }

  credential(credentialId: string): SimulatedSigner | undefined {
    return this.byCredential.get(credentialId);
  }

  setPolicy(policy: ApprovalPolicy, personalId?: string): void {
    if (personalId === undefined) {
      this.globalPolicy = policy;
      return;
    }
    const signer = this.signers.get(personalId);
    if (signer === undefined) throw new Error('no such simulated signer');
    signer.policy = policy;
  }

  /** a new transaction, or the one `clientRequestId` already made (undefined: the id was used for another request) */
  create(clientId: string, signer: SimulatedSigner, request: { hashes: Buffer[]; description: string; clientRequestId: string }): { transaction: Transaction; replay: boolean } | undefined {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([signer.credentialId, request.description, request.hashes.map((h) => h.toString('base64'))]))
      .digest('hex');
    const key = `${clientId}\u0000${request.clientRequestId}`;
    const known = this.byClientRequest.get(key);
    if (known !== undefined) return known.fingerprint === fingerprint ? { transaction: known, replay: true } : undefined;
    const createdAt = this.now();
    const transaction: Transaction = {
      transactionId: randomUUID(),
      clientId,
      clientRequestId: request.clientRequestId,
      fingerprint,
      credentialId: signer.credentialId,
      personalId: signer.personalId,
      hashes: request.hashes,
      description: request.description,
      createdAt,
      expiresAt: createdAt + this.transactionTtlMs,
      // the policy in force when the request came: a later change applies to later requests
      policy: signer.policy ?? this.globalPolicy,
    };
    this.transactions.set(transaction.transactionId, transaction);
    this.byClientRequest.set(key, transaction);
    return { transaction, replay: false };
  }

  transaction(transactionId: string): Transaction | undefined {
    return this.transactions.get(transactionId);
  }

  /** where a transaction stands now: the policy's decision is taken when its time has come */
  view(t: Transaction): TransactionView {
    const now = this.now();
    if (t.decision === undefined) {
      const { policy } = t;
      const due = t.createdAt + ('delayMs' in policy ? (policy.delayMs ?? 0) : 0);
      if (now >= t.expiresAt) return { status: 'EXPIRED' };
      if (policy.mode === 'auto' && now >= due) this.approve(t.transactionId, due);
      if (policy.mode === 'reject' && now >= due) this.reject(t.transactionId, policy.reason);
    }
    const d = t.decision;
    if (d === undefined) return { status: 'PENDING' };
    if (d.status === 'REJECTED') return { status: 'REJECTED', reason: d.reason };
    return { status: 'APPROVED', signatures: d.signatures.map((s) => s.toString('base64')), approvedAt: new Date(d.approvedAt).toISOString() };
  }

  /** the signer approves on their phone: RSASSA-PKCS1-v1_5 over each hash with their key */
  approve(transactionId: string, at: number = this.now()): void {
    const t = this.undecided(transactionId);
    const signer = this.byCredential.get(t.credentialId);
    if (signer === undefined) throw new Error('the transaction has no signer');
    const signatures = t.hashes.map((digest) =>
      privateEncrypt({ key: signer.keyPem, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest])),
    );
    t.decision = { status: 'APPROVED', signatures, approvedAt: at };
  }

  reject(transactionId: string, reason: string): void {
    this.undecided(transactionId).decision = { status: 'REJECTED', reason };
  }

  /** transactions waiting for the signer, oldest first (the console demo's "phone") */
  pending(): Transaction[] {
    return [...this.transactions.values()].filter((t) => this.view(t).status === 'PENDING').sort((a, b) => a.createdAt - b.createdAt);
  }

  private undecided(transactionId: string): Transaction {
    const t = this.transactions.get(transactionId);
    if (t === undefined) throw new Error('no such transaction');
    if (t.decision !== undefined) throw new Error('the transaction is already decided');
    if (this.now() >= t.expiresAt) throw new Error('the transaction has expired');
    return t;
  }
}

/** the subject DN of a certificate in the RFC 4514 style CSC answers use */
export function subjectDnOf(certPem: string): string {
  const cert = forge.pki.certificateFromPem(certPem);
  const short: Record<string, string> = { commonName: 'CN', organizationName: 'O', countryName: 'C', serialNumber: 'SERIALNUMBER' };
  return cert.subject.attributes
    .map((a) => `${short[a.name ?? ''] ?? a.shortName ?? a.type ?? '?'}=${String((a.valueTagClass as unknown) === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(String(a.value)) : a.value)}`)
    .reverse()
    .join(',');
}
