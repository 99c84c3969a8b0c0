import { createHash } from 'node:crypto';
import { isQueueError } from '../queue/errors';
import type { MessageAttributes, OutgoingMessage } from '../queue/model';
import { sendMessage } from '../queue/operations/send';
import type { TopicsContext } from './context';
import { notificationEnvelope } from './envelope';
import { type DeliveryTarget, type PublishedMessage, topicArn } from './model';
import { parseQueueArn } from './subscriptions';

/**
 * Delivers a published message to its targets through the queue's own send (the one the REST and
 * SQS dialects use), and returns the targets still owed: those whose delivery failed in a way a
 * retry can fix (throttling, storage unavailable). A target that can never succeed (its queue is
 * gone, or refuses the message as too large) is dropped and counted, as SNS drops deliveries to a
 * deleted queue.
 *
 * Repeated deliveries (a sweeper finishing a fan-out that died midway) reach FIFO queues with the
 * same deduplication id, so FIFO queues store them once within SQS's 5-minute window, and standard
 * queues with the same message id (deliveryId), which their conditional put stores once while the
 * item or its tombstone lasts (15 minutes after a delete).
 */
export interface FanOutResult {
  remaining: DeliveryTarget[];
  delivered: number;
  dropped: number;
}

export async function fanOut(
  ctx: TopicsContext,
  message: PublishedMessage,
  targets: DeliveryTarget[],
): Promise<FanOutResult> {
  const outcomes = await Promise.all(targets.map((target) => deliver(ctx, message, target)));
  return {
    remaining: targets.filter((_, index) => outcomes[index] === 'retry'),
    delivered: outcomes.filter((o) => o === 'delivered').length,
    dropped: outcomes.filter((o) => o === 'dropped').length,
  };
}

type Outcome = 'delivered' | 'dropped' | 'retry';

async function deliver(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
): Promise<Outcome> {
  if (target.protocol !== 'sqs') return 'dropped';
  const queue = parseQueueArn(target.endpoint);
  if (!queue) return 'dropped';
  const outgoing: OutgoingMessage = target.raw
    ? { body: message.body, attributes: sqsAttributes(message) }
    : {
        body: notificationEnvelope(message, {
          subscriptionId: target.subscriptionId,
          signingKey: ctx.signingKey(),
          signatureVersion: '1',
        }),
      };
  if (message.groupId !== undefined) outgoing.groupId = message.groupId;
  // One publish is one message in each queue: its id names it in every FIFO queue's window, and a
  // standard queue gets it under an id made from the publish and the subscription, so a re-run of
  // this delivery (a sweeper finishing a fan-out that died midway) finds the first one's item.
  if (queue.name.endsWith('.fifo')) outgoing.deduplicationId = message.messageId;
  else outgoing.messageId = deliveryId(message.messageId, target.subscriptionId);
  try {
    await sendMessage(ctx.queue, queue, outgoing, { senderId: topicArn(message.topic) });
    return 'delivered';
  } catch (error) {
    if (isQueueError(error) && error.kind.retryable) return 'retry';
    if (isQueueError(error)) {
      warn('delivery dropped', message, target, error.code);
      return 'dropped';
    }
    warn('delivery failed', message, target, (error as Error)?.name ?? 'Error');
    return 'retry';
  }
}

/**
 * The queue message id of one publish's delivery to one subscription: the same on every attempt,
 * shaped as a UUID (as every other message id) from a SHA-256 of both ids.
 */
export function deliveryId(messageId: string, subscriptionId: string): string {
  const hex = createHash('sha256').update(`${messageId}/${subscriptionId}`).digest('hex');
  // Version 8 (custom) and the RFC 9562 variant, so it reads as the UUID it stands in for.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Raw delivery: SNS attributes become SQS attributes (String.Array travels as a String). */
function sqsAttributes(message: PublishedMessage): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [name, attribute] of Object.entries(message.attributes)) {
    if (attribute.dataType.startsWith('Binary')) {
      out[name] = { dataType: attribute.dataType, binaryValue: attribute.binaryValue ?? '' };
    } else {
      const dataType = attribute.dataType === 'String.Array' ? 'String' : attribute.dataType;
      out[name] = { dataType, stringValue: attribute.stringValue ?? '' };
    }
  }
  return out;
}

/** Ids and codes only: no bodies in logs. */
function warn(text: string, message: PublishedMessage, target: DeliveryTarget, code: string): void {
  console.warn(
    JSON.stringify({
      level: 'WARN',
      message: text,
      topic: topicArn(message.topic),
      messageId: message.messageId,
      subscription: target.subscriptionId,
      code,
    }),
  );
}
