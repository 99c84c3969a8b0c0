/**
 * The last sequence number this process saw per FIFO group (kept in the context, per process).
 * Appends are conditional on it, so a wrong guess costs a retry, never order; a right one saves a
 * read before every send.
 */
export class SequenceGuesses {
  private readonly last = new Map<string, string | undefined>();

  constructor(private readonly capacity = 10_000) {}

  get(queueId: string, groupId: string): { known: boolean; last: string | undefined } {
    const key = `${queueId}\n${groupId}`;
    return { known: this.last.has(key), last: this.last.get(key) };
  }

  set(queueId: string, groupId: string, last: string | undefined): void {
    const key = `${queueId}\n${groupId}`;
    this.last.delete(key);
    this.last.set(key, last);
    // Maps iterate in insertion order: the first key is the least recently written.
    if (this.last.size > this.capacity) this.last.delete(this.last.keys().next().value!);
  }
}
