/**
 * SQS sequence numbers are large, not consecutive, and increase within a message group. Ours are
 * 20 decimal digits: the send time in milliseconds times 10^6, or one more than the group's last
 * number, whichever is larger. So they increase within a group even across senders whose clocks
 * disagree, and even when a long-idle group record has expired; across groups they roughly follow
 * time. Fixed width makes text order equal number order, so they serve as the sort key too.
 */
export const sequenceDigits = 20;

const perMillisecond = 1_000_000n;

export function nextSequences(last: string | undefined, now: number, count: number): string[] {
  const floor = BigInt(Math.floor(now)) * perMillisecond;
  const afterLast = last === undefined ? floor : BigInt(last) + 1n;
  const first = afterLast > floor ? afterLast : floor;
  return Array.from({ length: count }, (_, i) =>
    (first + BigInt(i)).toString().padStart(sequenceDigits, '0'),
  );
}

export const isSequence = (value: string): boolean => /^\d{20}$/.test(value);

/**
 * The last sequence number this process saw per group. Appends are conditional on it, so a wrong
 * guess costs a retry, never order; a right one saves a read before every send.
 */
class SequenceGuesses {
  private readonly last = new Map<string, string | undefined>();

  constructor(private readonly capacity: number) {}

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

export const sequenceGuesses = new SequenceGuesses(10_000);
