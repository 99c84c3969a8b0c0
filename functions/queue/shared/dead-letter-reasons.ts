import type { DeadLetterInfo, QueueRecord, StoredMessage } from '../model';

/**
 * Why a message was set aside, and the history it carries into its dead-letter queue, for standard
 * and FIFO queues alike: a message received maxReceiveCount times without being deleted moves
 * when the sweeper meets it after its last lease expired, at the latest when a receive would
 * deliver it again.
 */
export const reasons = {
  sweep: 'maxReceiveCount reached: the last lease expired without a delete',
  receive: 'maxReceiveCount reached: found by a receive after the last lease expired',
} as const;

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
