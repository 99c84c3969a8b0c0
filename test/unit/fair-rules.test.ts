import { describe, expect, test } from 'vitest';
import { busyGroups, fairnessActive, fairRules, noisyOf } from '../../functions/queue/fair-groups';
import type { QueueRecord } from '../../functions/queue/model';

/** The fair-queue thresholds at their edges (SQS: more than 10% of in flight, and at least 30). */
const inFlight = (total: number, groups: Record<string, number>) => ({
  total,
  byGroup: new Map(Object.entries(groups)),
  sampled: false,
});

describe('fair-queue rules', () => {
  test('busy: at least 30 in flight and more than 10% of them', () => {
    expect(busyGroups(inFlight(300, { a: 30 }))).toEqual([]); // exactly 10%: not more
    expect(busyGroups(inFlight(299, { a: 30 }))).toEqual(['a']);
    expect(busyGroups(inFlight(100, { a: 29, b: 71 }))).toEqual(['b']); // 29: under 30
    expect(busyGroups(inFlight(30, { a: 30 }))).toEqual(['a']);
  });

  test('noisy: busy and sent within the last 5 minutes; unknown sends count as quiet', () => {
    const now = 1_000_000_000;
    const counts = inFlight(100, { a: 50, b: 40, c: 10 });
    const sends = new Map([
      ['a', now - fairRules.quietAfterMs + 1],
      ['b', now - fairRules.quietAfterMs],
    ]);
    expect([...noisyOf(counts, sends, now).noisy]).toEqual([['a', 50]]);
    expect(noisyOf(counts, new Map(), now).noisy.size).toBe(0);
  });

  test('active only on standard queues with a group send in the last 6 minutes', () => {
    const now = 1_000_000_000;
    const queue = { groupsSentAt: now - 5 * 60_000 } as QueueRecord;
    expect(fairnessActive(queue, now)).toBe(true);
    expect(fairnessActive({ ...queue, groupsSentAt: now - 6 * 60_000 }, now)).toBe(false);
    expect(fairnessActive({ ...queue, fifo: true }, now)).toBe(false);
    expect(fairnessActive({} as QueueRecord, now)).toBe(false);
  });
});
