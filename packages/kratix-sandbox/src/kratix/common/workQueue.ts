/*
 * A per-key serial work queue, like a controller-runtime workqueue: at most one task per key runs at
 * a time; requests for a busy key coalesce into one follow-up run. Tasks start on a later tick so
 * store listeners never write re-entrantly. `idle()` resolves once nothing is running or queued.
 */
export class KeyedQueue {
  private readonly running = new Set<string>();
  private readonly pending = new Map<string, () => Promise<void>>();
  private waiters: Array<() => void> = [];
  private scheduled = 0;

  constructor(
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  enqueue(key: string, task: () => Promise<void>): void {
    if (this.running.has(key)) {
      this.pending.set(key, task);
      return;
    }
    this.running.add(key);
    this.scheduled++;
    setImmediate(() => {
      this.scheduled--;
      void this.execute(key, task);
    });
  }

  private async execute(key: string, task: () => Promise<void>): Promise<void> {
    let next: (() => Promise<void>) | undefined = task;
    while (next) {
      try {
        await next();
      } catch (error) {
        this.onError(key, error);
      }
      next = this.pending.get(key);
      this.pending.delete(key);
    }
    this.running.delete(key);
    this.notify();
  }

  get busy(): boolean {
    return this.running.size > 0 || this.scheduled > 0;
  }

  private notify(): void {
    if (this.busy) return;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach(w => w());
  }

  /** Resolves when no task is running or queued. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise(resolve => this.waiters.push(resolve));
  }
}
