import { createHash } from 'node:crypto';
import type { QueueContext } from '../context';
import { QueueError } from '../errors';
import type { FifoStore } from '../ports/fifo-store';

/**
 * A group always lives in the same shard of the ready index (a hash of its id), so the groups of a
 * queue spread over its shards while each group has exactly one entry.
 */
export function groupShard(groupId: string, shardCount: number): number {
  return createHash('md5').update(groupId, 'utf8').digest().readUInt32BE(0) % shardCount;
}

/** The FIFO storage of this context; a runtime built without it refuses FIFO queues. */
export function fifoStore(ctx: QueueContext): FifoStore {
  if (!ctx.fifo) {
    throw new QueueError('UnsupportedOperation', 'FIFO queues are not available in this runtime');
  }
  return ctx.fifo;
}
