/**
 * Wakes long-polling receivers in this process as soon as a message is sent here, so a local
 * service (or a warm Lambda that handles both) answers at once instead of at the next poll.
 * Receivers still poll the store, because senders in other processes cannot reach them.
 */
export class Arrivals {
  private readonly waiters = new Map<string, Set<() => void>>();

  notify(queueId: string): void {
    const waiting = this.waiters.get(queueId);
    if (!waiting) return;
    this.waiters.delete(queueId);
    for (const wake of waiting) wake();
  }

  /** Resolves when a message arrives for the queue or after `ms`, whichever is first. */
  wait(queueId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let waiting = this.waiters.get(queueId);
      if (!waiting) {
        waiting = new Set();
        this.waiters.set(queueId, waiting);
      }
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
    });
  }
}
