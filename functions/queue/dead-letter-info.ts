import type { DeadLetterInfo, QueueRecord, StoredMessage } from './model';

/** The history a message carries into its dead-letter queue, for standard and FIFO queues alike. */
export function deadLetterInfo(
  source: QueueRecord,
  message: StoredMessage,
  reason: string,
  now: number,
): DeadLetterInfo {
  return {
    sourceQueue: source.ref.name,
    sourceQueueId: source.id,
    deadLetteredAt: now,
    reason,
    receiveCount: message.receiveCount,
    ...(message.firstReceivedAt === undefined ? {} : { firstReceivedAt: message.firstReceivedAt }),
    ...(message.lastReceivedAt === undefined ? {} : { lastReceivedAt: message.lastReceivedAt }),
  };
}
