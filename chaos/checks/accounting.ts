import type { QueueRecord } from '../../functions/queue/model';
import type { StoredState } from '../audit';
import { keyOfBody } from '../ledger';
import { type Accounting, type CheckInput, type Violation, violation } from './types';

/**
 * Every acknowledged send is accounted for: deleted, dead-lettered, still in the queue, or
 * (only past its retention) expired; never two of those at once, never none of them.
 */
export function accountFor(
  input: CheckInput,
  queue: QueueRecord,
  remaining: Map<string, StoredState>,
): { accounting: Accounting; violations: Violation[] } {
  const { ledger, oracle } = input;
  const violations: Violation[] = [];
  const deadLetters = new Map(
    [...input.final.deadLetter.values()]
      .filter((d) => d.deadLetter?.sourceQueue === queue.ref.name)
      .map((d) => [d.messageId, d]),
  );
  const deleteAcknowledged = new Set(
    ledger.deletes
      .filter((d) => d.queue === queue.ref.name && d.outcome === 'deleted')
      .map((d) => d.messageId),
  );
  const removedBy = new Map<string, Set<string>>();
  for (const write of oracle.writes) {
    if (write.queueId !== queue.id || write.kind !== 'remove') continue;
    removedBy.set(write.messageId, (removedBy.get(write.messageId) ?? new Set()).add(write.via));
  }
  const accounting: Accounting = {
    queue: queue.ref.name,
    sent: 0,
    deleted: 0,
    dead: 0,
    remaining: 0,
    expired: 0,
    lost: 0,
    unacknowledgedStored: 0,
    lateDeletesOfDeadLetters: 0,
  };
  const acknowledged = ledger.acknowledgedSends(queue.ref.name);
  for (const send of acknowledged) {
    const id = send.messageId!;
    accounting.sent++;
    const stored = remaining.get(id);
    const dead = deadLetters.get(id);
    const removals = removedBy.get(id) ?? new Set<string>();
    if (stored && dead) {
      violations.push(violation('duplicated', 'in the queue and in the dead-letter queue at once', id));
    } else if (stored) {
      accounting.remaining++;
      if (deleteAcknowledged.has(id))
        violations.push(
          violation('delete not applied', 'its delete was acknowledged but it is still stored', id),
        );
    } else if (dead) {
      accounting.dead++;
      if (deleteAcknowledged.has(id)) accounting.lateDeletesOfDeadLetters++;
      if (dead.deadLetter!.receiveCount !== queue.maxReceiveCount) {
        violations.push(
          violation(
            'dead-lettered early',
            `moved after ${dead.deadLetter!.receiveCount} receives; maxReceiveCount is ${queue.maxReceiveCount}`,
            id,
          ),
        );
      }
    } else if (deleteAcknowledged.has(id) || removals.has('delete') || removals.has('batch')) {
      accounting.deleted++;
      if (send.poison) {
        violations.push(violation('poison deleted', 'every consumer crashes on it, yet it was deleted', id));
      }
    } else if (send.startedAt + queue.retentionSeconds * 1000 <= input.auditedAt) {
      accounting.expired++;
    } else {
      accounting.lost++;
      violations.push(
        violation(
          'lost',
          `acknowledged, never deleted, in neither the queue nor its dead-letter queue (removed by: ${[...removals].join(', ') || 'nothing seen'})`,
          id,
        ),
      );
    }
  }
  // Stored messages that no acknowledged send explains must come from an unacknowledged attempt.
  const acknowledgedIds = new Set(acknowledged.map((s) => s.messageId));
  for (const state of [...remaining.values(), ...deadLetters.values()]) {
    if (acknowledgedIds.has(state.messageId)) continue;
    const attempt = ledger.sendByKey(keyOfBody(state.body));
    if (attempt && attempt.queue === queue.ref.name) accounting.unacknowledgedStored++;
    else
      violations.push(violation('unknown message', 'stored, but no producer ever sent it', state.messageId));
  }
  return { accounting, violations };
}
