import type { QueueRecord } from '../../functions/queue/model';
import type { LeaseGrant } from '../oracle';
import { type CheckInput, type Violation, violation } from './types';

/**
 * No two consumers hold a valid lease on one message at the same time, seen two ways:
 *
 * - by the consumers: a delivery certainly holds its lease from the moment the receive answered
 *   until its visibility ran out (counted from when the receive was asked) or its delete began.
 *   Two such intervals of one message that overlap cannot both be valid.
 * - by storage: each lease DynamoDB granted, exactly [lr, v), cut short by the message's removal.
 *   A lease granted before the previous one ended means the lease condition was bypassed.
 */
export function checkLeases(input: CheckInput, queues: QueueRecord[]): Violation[] {
  return [...consumerOverlaps(input), ...storageOverlaps(input, queues)];
}

function consumerOverlaps({ ledger }: CheckInput): Violation[] {
  const deleteStarts = new Map<string, number>();
  for (const d of ledger.deletes) {
    if (d.outcome === 'deleted' && d.token) deleteStarts.set(d.token, d.startedAt);
  }
  const held = new Map<string, { start: number; end: number; worker: string }[]>();
  for (const d of ledger.deliveries) {
    const end = Math.min(
      d.requestStart + d.visibilityMs,
      deleteStarts.get(d.token ?? '') ?? Number.POSITIVE_INFINITY,
    );
    if (end <= d.responseEnd) continue; // the answer came too late for the lease to be certain
    const key = `${d.queue}/${d.messageId}`;
    held.set(key, [...(held.get(key) ?? []), { start: d.responseEnd, end, worker: d.worker }]);
  }
  const violations: Violation[] = [];
  for (const [key, intervals] of held) {
    intervals.sort((a, b) => a.start - b.start);
    for (let i = 1; i < intervals.length; i++) {
      const [before, after] = [intervals[i - 1]!, intervals[i]!];
      if (after.start < before.end) {
        violations.push(
          violation(
            'concurrent leases (consumers)',
            `${before.worker} held it until ${before.end}, ${after.worker} from ${after.start}`,
            key.split('/')[1],
          ),
        );
      }
    }
  }
  return violations;
}

function storageOverlaps({ oracle }: CheckInput, queues: QueueRecord[]): Violation[] {
  const maxReceives = new Map(queues.map((q) => [q.id, q.maxReceiveCount]));
  const removals = oracle.writesByKey();
  const violations: Violation[] = [];
  for (const [key, leases] of oracle.leasesByKey()) {
    leases.sort((a, b) => a.start - b.start);
    const removedAt = (removals.get(key) ?? []).filter((w) => w.kind === 'remove').map((w) => w.at);
    leases.forEach((lease, index) => {
      const id = lease.messageId;
      if (lease.start >= lease.expiresAt) {
        violations.push(
          violation('leased past retention', `leased at ${lease.start}, expired at ${lease.expiresAt}`, id),
        );
      }
      const max = maxReceives.get(lease.queueId);
      if (max !== undefined && lease.receiveCount > max) {
        violations.push(
          violation('leased beyond maxReceiveCount', `receive ${lease.receiveCount} of ${max}`, id),
        );
      }
      const previous = leases[index - 1];
      if (previous && lease.start < effectiveEnd(previous, removedAt)) {
        violations.push(
          violation(
            'concurrent leases (storage)',
            `lease ${lease.receiveCount} granted at ${lease.start} while lease ${previous.receiveCount} ran until ${previous.end}`,
            id,
          ),
        );
      }
    });
  }
  return violations;
}

/** A lease ends at its visibility timeout, or earlier when the message is removed. */
function effectiveEnd(lease: LeaseGrant, removedAt: number[]): number {
  const removal = removedAt.filter((at) => at >= lease.at).sort((a, b) => a - b)[0];
  return Math.min(lease.end, removal ?? Number.POSITIVE_INFINITY);
}
