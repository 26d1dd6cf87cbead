import type { LedgerStatus } from '../store/store.js';
import { deadlineCountdown } from '../reconcile/time.js';

/** A job's deadline with where its records stand (counts of its first target). */
export interface DeadlineStatus {
  name: string;
  date: string;
  /** the grades (khối) whose records the counts are of; empty: every record of the job */
  grades: number[];
  /** whole days from today (Vietnam time) to the date: 0 on the day, negative once passed */
  daysLeft: number;
  /** the countdown in both languages, as `lienthong status` prints it */
  countdown: string;
  vi: string;
  en: string;
  accepted: number;
  /** staged and not yet answered (pending or sent) */
  pending: number;
  rejectedByHub: number;
  /** held back at the source (invalid records the runs recorded), of every grade: a record held back may have none */
  heldBack: number;
}

/**
 * The one deadline calculation of the services: the days left come from the same countdown the
 * reconciliation report uses; the counts are the ledger's for the job's first target (for a deadline
 * with `grades`, the caller passes the counts of those grades' records).
 */
export function deadlineStatus(deadline: { name: string; date: string; grades?: readonly number[] }, counts: Partial<Record<LedgerStatus, number>> | undefined, heldBack: number, now: Date = new Date()): DeadlineStatus {
  const c = deadlineCountdown(deadline.date, now);
  return {
    name: deadline.name,
    date: deadline.date,
    grades: [...(deadline.grades ?? [])],
    daysLeft: c.daysLeft,
    countdown: `${c.vi} / ${c.en}`,
    vi: c.vi,
    en: c.en,
    accepted: counts?.accepted ?? 0,
    pending: (counts?.pending ?? 0) + (counts?.sent ?? 0),
    rejectedByHub: counts?.rejected ?? 0,
    heldBack,
  };
}
