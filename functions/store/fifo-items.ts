import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { FifoMessage } from '../queue/ports/fifo-store';
import { type Item, itemToMessage, messagePartition, messageToItems } from './items';

/**
 * How FIFO queues map to items of the messages table (beside the standard queues' items):
 *
 *   group       pk = `fg#<queue id>#<group id>`  sk = `g`
 *               sn last sequence number, g/v ready-index keys while the group may have messages
 *               (v = when it is next available: now, or the end of its live lease), l lease
 *               token, lt when the lease was taken, ttl
 *   message     pk = `fm#<queue id>#<group id>`  sk = <sequence number, 20 digits>
 *               the standard message attributes (v, x, s, rc, l, fr, lr, si, a, th, dl, b or p)
 *               without `g`, so messages are never in the ready index; mi message id,
 *               dd deduplication id
 *   body part   pk = `m#<queue id>#<message id>`  sk = `b#<n>` (as for standard queues)
 *   dedup       pk = `fd#<queue id>#<dedup id>`  sk = `q` (queue scope) or `g#<group id>`
 *               mi, sn of the original, x end of the 5-minute window, ttl
 *   attempt     pk = `fa#<queue id>#<attempt id>`  sk = `a`: a receive's messages, x, ttl
 *
 * Group ids may contain `#`; the queue id never does, so keys split on the first two.
 */
const S = (value: string): AttributeValue => ({ S: value });

export const groupKey = (queueId: string, groupId: string): Item => ({
  pk: S(`fg#${queueId}#${groupId}`),
  sk: S('g'),
});

export const groupMessagesPartition = (queueId: string, groupId: string) => `fm#${queueId}#${groupId}`;

export const fifoMessageKey = (queueId: string, groupId: string, sequenceNumber: string): Item => ({
  pk: S(groupMessagesPartition(queueId, groupId)),
  sk: S(sequenceNumber),
});

export const dedupKey = (queueId: string, deduplicationId: string, groupId?: string): Item => ({
  pk: S(`fd#${queueId}#${deduplicationId}`),
  sk: S(groupId === undefined ? 'q' : `g#${groupId}`),
});

export const attemptKey = (queueId: string, attemptId: string): Item => ({
  pk: S(`fa#${queueId}#${attemptId}`),
  sk: S('a'),
});

/** The ready-index partition of a FIFO queue's groups: apart from standard queues' `<id>#<n>`. */
export const groupReadyPartition = (queueId: string, shard: number) => `f#${queueId}#${shard}`;

/** The group id of a group or group-messages key `<prefix>#<queue id>#<group id>`. */
export function groupIdOf(pk: string): string {
  const first = pk.indexOf('#');
  return pk.slice(pk.indexOf('#', first + 1) + 1);
}

/** The message item and its body parts; the body layout (inline or parts) is the standard one. */
export function fifoMessageItems(
  message: FifoMessage,
  objectThresholdBytes?: number,
): { item: Item; parts: Item[]; object?: Uint8Array } {
  // The group id is in the key, the shard is the group's: neither is stored on the message.
  const { groupId, shard: _, ...rest } = message;
  const { message: base, parts, object } = messageToItems({ ...rest, shard: 0 }, objectThresholdBytes);
  const { pk: _pk, sk: _sk, g: _g, ...attributes } = base;
  return {
    item: {
      ...fifoMessageKey(message.queueId, groupId, message.sequenceNumber),
      ...attributes,
      mi: S(message.id),
      dd: S(message.deduplicationId),
    },
    parts,
    ...(object ? { object } : {}),
  };
}

/** A message item back to a message; `body` is filled from parts by the caller when `p` is set. */
export function itemToFifoMessage(item: Item, queueId: string, body?: string): FifoMessage {
  const id = item.mi!.S!;
  // Read through the standard mapping; a FIFO message's shard is its group's, not its own.
  const base = itemToMessage({ ...item, pk: S(messagePartition(queueId, id)), g: S(`${queueId}#0`) }, body);
  return {
    ...base,
    groupId: groupIdOf(item.pk!.S!),
    sequenceNumber: item.sk!.S!,
    deduplicationId: item.dd?.S ?? '',
    ...(item.l?.S ? { leaseToken: item.l.S } : {}),
  };
}
