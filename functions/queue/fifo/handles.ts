import type { QueueContext } from '../context';
import { invalidReceiptHandle } from '../receipt-handle';
import { isSequence } from './sequence';

/**
 * FIFO receipt handles reuse the signed handle of the core (queue id, a message slot, the lease
 * token), with the message slot naming the message's place: its group, its sequence number, the
 * last sequence number delivered under the same lease (so a delete can tell whether the lease
 * still holds other messages), and its id.
 */
export interface FifoHandle {
  groupId: string;
  sequenceNumber: string;
  /** The last sequence number delivered under this lease. */
  last: string;
  messageId: string;
  token: string;
}

const marker = 'f';

export function encodeFifoHandle(ctx: QueueContext, queueId: string, handle: FifoHandle): string {
  const slot = [
    marker,
    handle.sequenceNumber,
    handle.last,
    Buffer.from(handle.groupId, 'utf8').toString('base64url'),
    handle.messageId,
  ].join('.');
  return ctx.receiptHandles.encode({ queueId, messageId: slot, leaseToken: handle.token });
}

export function decodeFifoHandle(ctx: QueueContext, queueId: string, receiptHandle: unknown): FifoHandle {
  const parts = ctx.receiptHandles.decode(receiptHandle, queueId);
  const [kind, sequenceNumber, last, group, messageId, ...rest] = parts.messageId.split('.');
  if (
    kind !== marker ||
    !sequenceNumber ||
    !last ||
    !isSequence(sequenceNumber) ||
    !isSequence(last) ||
    !group ||
    !messageId ||
    rest.length > 0
  ) {
    throw invalidReceiptHandle('it is not one of a FIFO queue', receiptHandle);
  }
  return {
    groupId: Buffer.from(group, 'base64url').toString('utf8'),
    sequenceNumber,
    last,
    messageId,
    token: parts.leaseToken,
  };
}
