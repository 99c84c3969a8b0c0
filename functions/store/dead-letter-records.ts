import type { Item } from './items';

/**
 * The record that orders a dead-letter queue's messages by when they were dead-lettered, for
 * browsing (in the dead-letters table):
 *
 *   record  pk = `d#<dead-letter queue id>`  sk = `<dead-lettered at, 13 digits>#<message id>`
 *           id message id; for a FIFO dead letter also fg (group id) and sn (sequence number),
 *           since its item is keyed by group and sequence, not by message id
 *
 * Records are written in the same transaction as the move, and dropped when found pointing at a
 * message that is gone (deleted by a consumer, redriven, or past retention).
 */
export const padTime = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(13, '0');

export const deadLetterPartition = (queueId: string) => `d#${queueId}`;

export const deadLetterRecordKey = (queueId: string, deadLetteredAt: number, messageId: string): Item => ({
  pk: { S: deadLetterPartition(queueId) },
  sk: { S: `${padTime(deadLetteredAt)}#${messageId}` },
});

export function deadLetterRecord(
  queueId: string,
  deadLetteredAt: number,
  messageId: string,
  fifo?: { groupId: string; sequenceNumber: string },
): Item {
  return {
    ...deadLetterRecordKey(queueId, deadLetteredAt, messageId),
    id: { S: messageId },
    ...(fifo ? { fg: { S: fifo.groupId }, sn: { S: fifo.sequenceNumber } } : {}),
  };
}
