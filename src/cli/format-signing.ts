import type { JobSigningStatus } from '../services/signing.js';

/** `lienthong signing status` as lines: pure, so the words are tested without a terminal. */
export function signingStatusLines(status: readonly JobSigningStatus[]): string[] {
  if (status.length === 0) return ['no job has records in remote signing'];
  const lines: string[] = [];
  for (const s of status) {
    const d = s.documents;
    const r = s.requests;
    lines.push(`job ${s.job}: documents awaiting ${d.awaiting}, complete ${d.complete}, returned ${d.returned}`);
    lines.push(`  requests: review ${r.review}, requested ${r.requested}, approved ${r.approved}, completed ${r.completed}, rejected ${r.rejected}, expired ${r.expired}`);
    for (const q of s.open) {
      const expiry = q.expiresAt ? `, expires ${q.expiresAt}` : '';
      const reason = q.reason ? `, reason: ${q.reason}` : '';
      lines.push(`  ${q.id}  ${q.state.padEnd(9)} ${q.classKey}  ${q.role}  ${q.signer}  ${q.items} record(s), ${q.ageMinutes} min old${expiry}${reason}`);
    }
    if (s.awaited.length > 0) lines.push(`  awaited: ${s.awaited.map((a) => `${a.role} (${a.signer}) ×${a.records}`).join(', ')}`);
  }
  return lines;
}
