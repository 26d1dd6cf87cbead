import { createHash } from 'node:crypto';
import { canonicalJson } from './hash.js';
import type { JsonValue } from './records.js';

/** the prevHash of the first entry of an audit log */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The fields of an audit entry the chain covers: everything but its own hash. */
export interface ChainedAuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  address: string;
  outcome: string;
  detail: Record<string, unknown>;
}

/**
 * The hash that chains an audit entry to the one before it: SHA-256 (hex) of the previous hash,
 * a newline, and the entry's fields as canonical JSON (RFC 8785). Editing any field of an entry,
 * deleting one or reordering them breaks every hash after it; `lienthong audit verify` recomputes
 * the chain from the first entry.
 */
export function auditEntryHash(prevHash: string, entry: ChainedAuditFields): string {
  const fields = {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    address: entry.address,
    outcome: entry.outcome,
    detail: entry.detail as JsonValue,
  };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields as JsonValue)).digest('hex');
}
