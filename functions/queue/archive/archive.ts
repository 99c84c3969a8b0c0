import type { QueueContext } from '../context';
import { groupShard } from '../fifo/groups';
import type { QueueRecord, StoredMessage } from '../model';
import type { ArchiveEntry, ArchiveStore } from '../ports/archive-store';

/**
 * Archiving: every message a queue accepts (sent, batch-sent, published by a topic, redriven into
 * it, replayed) is copied into the queue's archive when its archiveRetentionSeconds is above 0,
 * with one more write of its own (a BatchWriteItem of the batch's copies), after the message itself
 * is stored, so only a message the queue accepted is ever archived. Queues with the archive off pay
 * nothing: the setting comes with the queue record the send already holds (the queue cache).
 */
export const archiveOn = (queue: QueueRecord): boolean => (queue.archiveRetentionSeconds ?? 0) > 0;

/** The archive's reader, where this process has one (the functions that serve or replay archives). */
export function archiveReader(ctx: QueueContext): ArchiveStore | undefined {
  return ctx.archive && 'read' in ctx.archive ? ctx.archive : undefined;
}

export async function archiveMessages(
  ctx: QueueContext,
  queue: QueueRecord,
  messages: (StoredMessage & { sequenceNumber?: string })[],
): Promise<void> {
  if (!ctx.archive || !archiveOn(queue) || messages.length === 0) return;
  const entries = messages.map((m) => archiveEntry(queue, m));
  try {
    const failed = await ctx.archive.archive(queue.id, entries);
    if (failed.length > 0) warnUnarchived(queue, failed.length, 'unprocessed');
  } catch (error) {
    // The messages are in the queue already: failing the send now would make its sender send
    // them again. The archive misses them instead, and says so (ids and counts only, no bodies).
    warnUnarchived(queue, messages.length, (error as Error)?.name ?? 'error');
  }
}

export function archiveEntry(
  queue: QueueRecord,
  m: StoredMessage & { sequenceNumber?: string },
): ArchiveEntry {
  const entry: ArchiveEntry = {
    id: m.id,
    body: m.body,
    attributes: m.attributes,
    sentAt: m.sentAt,
    // FIFO: the sequence number orders a group's messages even across senders whose clocks disagree.
    order: m.sequenceNumber || (BigInt(m.sentAt) * 1_000_000n).toString().padStart(20, '0'),
    shard:
      queue.fifo && m.groupId !== undefined
        ? groupShard(m.groupId, queue.shardCount)
        : m.shard % queue.shardCount,
    expiresAt: m.sentAt + (queue.archiveRetentionSeconds ?? 0) * 1000,
  };
  if (m.groupId !== undefined) entry.groupId = m.groupId;
  if (m.traceHeader !== undefined) entry.traceHeader = m.traceHeader;
  return entry;
}

function warnUnarchived(queue: QueueRecord, count: number, reason: string): void {
  console.warn(
    JSON.stringify({ level: 'WARN', message: 'messages not archived', queue: queue.ref.name, count, reason }),
  );
}
