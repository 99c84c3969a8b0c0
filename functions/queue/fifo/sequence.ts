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
