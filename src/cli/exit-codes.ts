import type { LienthongError } from '../core/errors.js';
import type { NextStepsInput } from './next-steps.js';

/**
 * Exit codes (README "Exit codes"): 0 done; 1 failed (a connection down, a guard stop, a crash);
 * 2 a configuration or credential error, wherever it is found (loading, `check`, during a run)
 * and bad usage; 3 done with records left over (held back invalid, refused, deferred, dead,
 * conflicts, waiting for signers), so a cron wrapper can tell "all sent" from "someone must look".
 */
export const EXIT = { ok: 0, failed: 1, config: 2, partial: 3 } as const;

export function exitCodeOfError(e: Pick<LienthongError, 'kind'>): number {
  return e.kind === 'config' ? EXIT.config : EXIT.failed;
}

/** The exit code of a finished run, from its summary. */
export function exitCodeOf(s: Pick<NextStepsInput, 'outcome' | 'counts' | 'error'>): number {
  if (s.error?.kind === 'config') return EXIT.config;
  if (s.outcome === 'failed' || s.outcome === 'interrupted' || s.outcome === 'running') return EXIT.failed;
  const c = s.counts;
  const leftOver = c.invalid + c.rejected + c.dead + c.conflicts + (c.deferred ?? 0) + (c.awaitingSignature ?? 0);
  return s.outcome === 'partial' || leftOver > 0 ? EXIT.partial : EXIT.ok;
}
