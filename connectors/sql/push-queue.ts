/**
 * Adapts a push source (rows arriving as events) to an async iterator with backpressure: when
 * `highWater` rows wait unread, `pause()` is called; once the reader has taken them down to
 * `lowWater`, `resume()`. Used for the mssql driver, whose request emits 'row' events.
 */
export interface PushControl {
  pause(): void;
  resume(): void;
  /** called when the reader stops early, so the producer can cancel */
  cancel(): void;
}

export class PushQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private ended = false;
  private failure: { error: unknown } | null = null;
  private waiter: (() => void) | null = null;
  private paused = false;

  constructor(
    private readonly control: PushControl,
    private readonly highWater = 500,
    private readonly lowWater = Math.floor(highWater / 4),
  ) {}

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    if (!this.paused && this.items.length >= this.highWater) {
      this.paused = true;
      this.control.pause();
    }
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.failure === null) this.failure = { error };
    this.ended = true;
    this.wake();
  }

  /** rows waiting to be read (for tests and diagnostics) */
  get buffered(): number {
    return this.items.length;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let completed = false;
    try {
      while (true) {
        if (this.items.length > 0) {
          const item = this.items.shift() as T;
          if (this.paused && this.items.length <= this.lowWater) {
            this.paused = false;
            this.control.resume();
          }
          yield item;
          continue;
        }
        // rows already received are handed out before an error is raised
        if (this.failure) throw this.failure.error;
        if (this.ended) {
          completed = true;
          return;
        }
        await new Promise<void>((resolve) => {
          this.waiter = resolve;
        });
      }
    } finally {
      if (!completed && !this.failure) {
        this.ended = true;
        this.items.length = 0;
        this.control.cancel();
      }
    }
  }
}
