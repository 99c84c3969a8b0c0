import type { QueueContext } from '../context';
import { invalidParameter } from '../errors';
import type { QueueRecord } from '../model';
import type { FifoMessageCounts } from '../ports/fifo-store';
import { fifoStore } from './groups';

/** What queue administration does differently for FIFO queues. */

/** Approximate like every count; `approximate` is set when estimated from a sample of the groups. */
export function countFifoMessages(ctx: QueueContext, queue: QueueRecord): Promise<FifoMessageCounts> {
  return fifoStore(ctx).countMessages(queue.id, queue.shardCount, ctx.clock.now());
}

export function purgeFifoMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  sentUpTo?: number,
): Promise<{ removed: number; done: boolean }> {
  return fifoStore(ctx).purgeMessages({
    queueId: queue.id,
    shardCount: queue.shardCount,
    budgetMs: 10_000,
    ...(sentUpTo === undefined ? {} : { sentUpTo }),
  });
}

/** As in SQS, a FIFO queue's dead-letter queue is a FIFO queue, and a standard one's is standard. */
export function requireSameKind(fifo: boolean, other: QueueRecord, field = 'deadLetterQueue'): void {
  if (Boolean(other.fifo) !== fifo) {
    throw invalidParameter(
      field,
      other.ref.name,
      fifo ? 'a FIFO queue for a FIFO queue' : 'a standard queue for a standard queue',
    );
  }
}
