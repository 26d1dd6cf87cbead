import type { RunProgress, RunSummary } from '../engine/runner.js';

/** What a running job tells the console: its counts as they move, then how it ended. */
export type RunProgressEvent = { type: 'progress'; progress: RunProgress & { job: string } } | { type: 'end'; summary: RunSummary };

export type RunProgressListener = (job: string, event: RunProgressEvent) => void;

/**
 * The live progress of the runs this process makes, fanned out to whoever watches (the console's
 * server-sent events). It keeps only the latest event per job, so a page opened in the middle of
 * a run sees where it stands at once; nothing else is kept, and a listener that throws is dropped
 * from that one delivery, never from the runner's path.
 */
export class RunProgressHub {
  readonly #latest = new Map<string, RunProgressEvent>();
  /** listeners by job; the key null holds those that watch every job */
  readonly #listeners = new Map<string | null, Set<RunProgressListener>>();

  publish(job: string, event: RunProgressEvent): void {
    this.#latest.set(job, event);
    for (const key of [job, null]) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          listener(job, event);
        } catch {
          // a watcher's failure (a closed socket) is the watcher's; the run goes on
        }
      }
    }
  }

  /** listens to one job's events (or every job's, with null); returns the function that stops it */
  subscribe(job: string | null, listener: RunProgressListener): () => void {
    const set = this.#listeners.get(job) ?? new Set<RunProgressListener>();
    set.add(listener);
    this.#listeners.set(job, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(job) === set) this.#listeners.delete(job);
    };
  }

  /** the job's last event, or undefined when no run of it published since the process started */
  latest(job: string): RunProgressEvent | undefined {
    return this.#latest.get(job);
  }

  /** every job's last event (a page watching all jobs starts from these) */
  latestAll(): [string, RunProgressEvent][] {
    return [...this.#latest.entries()];
  }

  /** how many listeners are subscribed (what a test of a closed stream checks for leaks) */
  listenerCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }
}
