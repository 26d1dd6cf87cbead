import { getJob } from '../config/load.js';
import { ConfigError } from '../core/errors.js';
import { targetsOf, type ServiceContext } from './context.js';
import { deadLetterOf, type DeadLetter } from './dead-letters.js';
import { listJobs, type JobSummary } from './jobs.js';

/**
 * The dashboard's job list, computed at most once per `ttlMs` and once at a time: its ledger
 * counts are a count over every ledger row (a third of a second at a million rows), and a page
 * that polls, or several people watching, must not queue those counts up behind one another on
 * the store. Pausing, resuming or starting a run forgets it (`forget`), so an action shows at once.
 */
export class JobListCache {
  #value: { at: number; jobs: Promise<JobSummary[]> } | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly ttlMs = 2000,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  jobs(): Promise<JobSummary[]> {
    const now = this.clock();
    const cached = this.#value;
    if (cached && now.getTime() - cached.at < this.ttlMs) return cached.jobs;
    const jobs = listJobs(this.ctx, now);
    const entry = { at: now.getTime(), jobs };
    this.#value = entry;
    // a failure is not kept: the next request asks again
    jobs.catch(() => {
      if (this.#value === entry) this.#value = null;
    });
    return jobs;
  }

  forget(): void {
    this.#value = null;
  }
}

/**
 * One page of a job's dead letters (`dead`) and version conflicts (`stale`), target by target in
 * idbanghi order, by the store's status index (no scan of the ledger). `after` is the `next` of
 * the page before: `<target>\n<idbanghi>`.
 */
export async function deadLettersPage(ctx: ServiceContext, name: string, options: { after?: string; limit?: number } = {}): Promise<{ deadLetters: DeadLetter[]; next: string | null }> {
  const job = getJob(ctx.loaded, name);
  const limit = options.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ConfigError('LIMIT_INVALID', `a page holds 1 to 1000 dead letters (got ${limit})`);
  const [afterTarget, afterId] = options.after?.split('\n') ?? [];
  const targets = targetsOf(job).map((t) => t.target);
  const from = afterTarget === undefined ? 0 : Math.max(0, targets.indexOf(afterTarget));
  const letters: DeadLetter[] = [];
  for (const target of targets.slice(from)) {
    const after = target === afterTarget ? afterId : undefined;
    const rows = await ctx.store.ledgerPageOf(target, job.name, { status: ['dead', 'stale'], ...(after ? { after } : {}), limit: limit - letters.length + 1 });
    for (const e of rows) {
      const last = letters[letters.length - 1];
      // one row past the page says there is another page; it starts after the page's last letter
      if (letters.length === limit && last) return { deadLetters: letters, next: `${last.target}\n${last.idbanghi}` };
      letters.push(deadLetterOf(target, e));
    }
  }
  return { deadLetters: letters, next: null };
}
