import type { JobDefinition } from '../config/schema.js';
import { LienthongError } from '../core/errors.js';
import type { InvalidRecord } from '../store/store.js';

/**
 * The invalid-share guard. A wrong alias, a date format the mapping does not read or a missing
 * mapping option makes most records invalid at once; sending the few that pass and moving on would
 * hide a configuration mistake behind a "succeeded". The guard stops the run instead: the cursor
 * stays where it was and the error names the most frequent codes. Records re-read by key (held
 * back by earlier runs) are not counted: they are known already and would make a fixed source look
 * worse than it is.
 */
export class InvalidShareGuard {
  private read = 0;
  private invalid = 0;
  private readonly codes = new Map<string, number>();

  constructor(private readonly guard: JobDefinition['guard']) {}

  /** adds a chunk's stream records; answers the error that must stop the run, if the share is passed */
  check(fromStream: number, invalidFromStream: number, invalid: readonly InvalidRecord[], job: string): RunHeldError | null {
    this.read += fromStream;
    this.invalid += invalidFromStream;
    for (const r of invalid) for (const e of r.errors) this.codes.set(e.code, (this.codes.get(e.code) ?? 0) + 1);
    if (this.read < this.guard.minRecords || this.read === 0) return null;
    const percent = (this.invalid * 100) / this.read;
    if (percent <= this.guard.maxInvalidPercent) return null;
    const top = [...this.codes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    return new RunHeldError(job, this.invalid, this.read, percent, this.guard.maxInvalidPercent, top);
  }
}

export class RunHeldError extends LienthongError {
  readonly topCodes: [string, number][];

  constructor(job: string, invalid: number, read: number, percent: number, threshold: number, top: [string, number][]) {
    super(
      'RUN_HELD_INVALID_SHARE',
      'data',
      `${invalid} of the ${read} records read (${percent.toFixed(1)}%) are invalid, above this job's limit of ${threshold}% ` +
        `(guard.maxInvalidPercent); most frequent: ${top.map(([c, n]) => `${c} ×${n}`).join(', ')}. ` +
        `The run stopped before sending more and the cursor did not move. This is usually the query or the mapping options ` +
        `(a column alias, a date format): fix them, check with "lienthong run ${job} --dry-run", then run again; ` +
        `the records held back are read again by the next run.`,
      { job, invalid, read, threshold },
    );
    this.topCodes = top;
  }
}
