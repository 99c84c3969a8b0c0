import type { QueueRecord } from '../../functions/queue/model';
import { type Delivery, keyOfBody } from '../ledger';
import { type CheckInput, type Violation, violation } from './types';

/**
 * Each delivery, on its own: a genuine receipt handle, the body that was sent under that id,
 * within retention, within maxReceiveCount, and never after a delete of it was acknowledged.
 */
export function checkDeliveries(input: CheckInput, queues: QueueRecord[]): Violation[] {
  const { ledger } = input;
  const violations: Violation[] = [];
  const byName = new Map(queues.map((q) => [q.ref.name, q]));
  const firstDeleteAck = new Map<string, number>();
  for (const d of ledger.deletes) {
    if (d.outcome !== 'deleted') continue;
    const key = `${d.queue}/${d.messageId}`;
    firstDeleteAck.set(key, Math.min(firstDeleteAck.get(key) ?? Number.POSITIVE_INFINITY, d.endedAt));
  }
  for (const delivery of ledger.deliveries) {
    const queue = byName.get(delivery.queue)!;
    const id = delivery.messageId;
    if (!delivery.token)
      violations.push(violation('forged handle', 'the receipt handle does not verify', id));
    const sent = ledger.sendByKey(keyOfBody(delivery.body));
    if (!sent) {
      violations.push(violation('unknown message', `delivered a body no producer sent`, id));
    } else if (sent.body !== delivery.body) {
      violations.push(violation('body altered', `the body delivered differs from the one sent`, id));
    } else if (sent.messageId !== undefined && sent.messageId !== id) {
      violations.push(violation('id changed', `sent as ${sent.messageId}, delivered as ${id}`, id));
    }
    if (queue.maxReceiveCount !== undefined && delivery.receiveCount > queue.maxReceiveCount) {
      violations.push(
        violation(
          'beyond maxReceiveCount',
          `receive ${delivery.receiveCount} of at most ${queue.maxReceiveCount}`,
          id,
        ),
      );
    }
    if (delivery.requestStart >= delivery.sentAt + queue.retentionSeconds * 1000) {
      violations.push(violation('past retention', afterRetention(delivery, queue), id));
    }
    const deletedAt = firstDeleteAck.get(`${delivery.queue}/${id}`);
    if (deletedAt !== undefined && delivery.requestStart > deletedAt) {
      violations.push(
        violation(
          'delivered after delete',
          `received ${delivery.requestStart - deletedAt} ms after a delete was acknowledged`,
          id,
        ),
      );
    }
  }
  return violations;
}

const afterRetention = (delivery: Delivery, queue: QueueRecord) =>
  `received ${delivery.requestStart - delivery.sentAt} ms after it was sent; retention is ${queue.retentionSeconds} s`;
