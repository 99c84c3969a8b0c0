import { createHash } from 'node:crypto';
import { isQueueError } from '../queue/errors';
import type { MessageAttributes, OutgoingMessage } from '../queue/model';
import { sendMessage } from '../queue/operations/send';
import type { TopicsContext } from './context';
import { defaultRetryPolicy, retryDelaySeconds } from './delivery-policy';
import { lambdaEvent, notificationEnvelope } from './envelope';
import { type DeliveryTarget, type PublishedMessage, subscriptionArn, topicArn } from './model';
import { endpointTimeoutMs, permanentInvokeErrors } from './port';
import { parseQueueArn } from './subscriptions';

/**
 * Delivers a published message to its targets (queues through the queue's own send, the one the
 * REST and SQS dialects use; http(s) endpoints by POST), and returns the targets still owed: those
 * whose delivery failed in a way a retry can fix (throttling, storage unavailable). A target that
 * can never succeed (its queue is gone, or refuses the message as too large) is dropped and
 * counted, as SNS drops deliveries to a deleted queue.
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
  targets.forEach((target, index) => {
    const outcome = outcomes[index]!;
    if (outcome.kind !== 'retry')
      ctx.stats.countSubscription(message.topicId, target.subscriptionId, outcome.kind);
  });
  return {
    remaining: outcomes.flatMap((o) => (o.kind === 'retry' ? [o.target] : [])),
    delivered: outcomes.filter((o) => o.kind === 'delivered').length,
    dropped: outcomes.filter((o) => o.kind === 'dropped').length,
  };
}

type Outcome = { kind: 'delivered' } | { kind: 'dropped' } | { kind: 'retry'; target: DeliveryTarget };

const delivered: Outcome = { kind: 'delivered' };
const dropped: Outcome = { kind: 'dropped' };

async function deliver(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
): Promise<Outcome> {
  // An http(s) retry waiting for its delay stays owed, untouched.
  if (target.retryAt !== undefined && target.retryAt > ctx.clock.now()) return { kind: 'retry', target };
  if (target.deadLetterOnly && target.deadLetterQueue !== undefined) return deadLetter(ctx, message, target);
  let outcome: Outcome;
  if (target.protocol === 'sqs') outcome = await deliverToQueue(ctx, message, target, target.endpoint);
  else if (target.protocol === 'http' || target.protocol === 'https') {
    outcome = await deliverToEndpoint(ctx, message, target);
  } else if (target.protocol === 'lambda') outcome = await deliverToFunction(ctx, message, target);
  else outcome = dropped;
  // A delivery that can never succeed goes to the subscription's dead-letter queue, if it has one.
  if (outcome.kind === 'dropped' && target.deadLetterQueue !== undefined)
    return deadLetter(ctx, message, target);
  return outcome;
}

/** The dead-letter send; when it must be tried again, only it is owed, never the endpoint again. */
async function deadLetter(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
): Promise<Outcome> {
  const dead = await deliverToQueue(ctx, message, target, target.deadLetterQueue!);
  if (dead.kind === 'retry') return { kind: 'retry', target: { ...target, deadLetterOnly: true } };
  if (dead.kind === 'delivered') warn('delivery dead-lettered', message, target, 'DeadLettered');
  return dropped;
}

async function deliverToQueue(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
  queueArn: string,
): Promise<Outcome> {
  const queue = parseQueueArn(queueArn);
  if (!queue) return dropped;
  const outgoing: OutgoingMessage = target.raw
    ? { body: message.body, attributes: sqsAttributes(message) }
    : { body: notificationEnvelope(message, await envelopeOptions(ctx, message, target)) };
  if (message.groupId !== undefined) outgoing.groupId = message.groupId;
  // One publish is one message in each queue: its id names it in every FIFO queue's window, and a
  // standard queue gets it under an id made from the publish and the subscription, so a re-run of
  // this delivery (a sweeper finishing a fan-out that died midway) finds the first one's item.
  if (queue.name.endsWith('.fifo')) outgoing.deduplicationId = message.messageId;
  else outgoing.messageId = deliveryId(message.messageId, target.subscriptionId);
  try {
    await sendMessage(ctx.queue, queue, outgoing, { senderId: topicArn(message.topic) });
    return delivered;
  } catch (error) {
    if (isQueueError(error) && error.kind.retryable) return { kind: 'retry', target };
    if (isQueueError(error)) {
      warn('delivery dropped', message, target, error.code);
      return dropped;
    }
    warn('delivery failed', message, target, (error as Error)?.name ?? 'Error');
    return { kind: 'retry', target };
  }
}

/**
 * An http(s) endpoint gets a POST of the Notification (or, raw, the body itself) with SNS's
 * headers; a 2xx answer is a delivery. Anything else (another status, a timeout, no connection)
 * is tried again after the retry policy's delay, and when its retries are used up the delivery
 * can never succeed (to the dead-letter queue, or dropped). Each attempt may deliver again what an
 * endpoint took without answering: endpoints dedupe by x-amz-sns-message-id, as with SNS.
 */
async function deliverToEndpoint(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
): Promise<Outcome> {
  if (!ctx.endpoints) return { kind: 'retry', target };
  const arn = subscriptionArn(message.topic, target.subscriptionId);
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=UTF-8',
    'x-amz-sns-message-type': 'Notification',
    'x-amz-sns-message-id': message.messageId,
    'x-amz-sns-topic-arn': topicArn(message.topic),
    'x-amz-sns-subscription-arn': arn,
  };
  if (target.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  const body = target.raw
    ? message.body
    : notificationEnvelope(message, await envelopeOptions(ctx, message, target));
  let code: string;
  try {
    const status = await ctx.endpoints.post({
      url: target.endpoint,
      body,
      headers,
      timeoutMs: endpointTimeoutMs,
    });
    if (status >= 200 && status < 300) return delivered;
    code = `HTTP ${status}`;
  } catch (error) {
    code = (error as Error)?.name ?? 'Error';
  }
  return retryLater(ctx, message, target, code);
}

/** Another attempt after the retry policy's delay, or none when its retries are used up. */
function retryLater(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
  code: string,
): Outcome {
  const policy = target.retries ?? defaultRetryPolicy;
  const attempts = (target.attempts ?? 0) + 1;
  if (attempts > policy.numRetries) {
    warn('delivery failed, retries used up', message, target, code);
    return dropped;
  }
  const retryAt = ctx.clock.now() + retryDelaySeconds(policy, attempts) * 1000;
  return { kind: 'retry', target: { ...target, attempts, retryAt } };
}

/**
 * A lambda subscriber's function is invoked asynchronously with SNS's event (Lambda queues it and
 * retries the function itself). A throttled or failing invoke is tried again as an http(s)
 * delivery is (the retry policy, from the outbox); a refusal no retry can fix (function gone, no
 * permission: see the stack's pushFunctionArns) drops it, or dead-letters it.
 */
async function deliverToFunction(
  ctx: TopicsContext,
  message: PublishedMessage,
  target: DeliveryTarget,
): Promise<Outcome> {
  if (!ctx.functions) {
    warn('delivery dropped', message, target, 'LambdaUnavailable');
    return dropped;
  }
  try {
    const event = lambdaEvent(message, await envelopeOptions(ctx, message, target));
    await ctx.functions.invokeAsync(target.endpoint, event);
    return delivered;
  } catch (error) {
    const code = (error as Error)?.name ?? 'Error';
    if (permanentInvokeErrors.has(code)) {
      warn('delivery dropped', message, target, code);
      return dropped;
    }
    return retryLater(ctx, message, target, code);
  }
}

async function envelopeOptions(ctx: TopicsContext, message: PublishedMessage, target: DeliveryTarget) {
  return {
    subscriptionId: target.subscriptionId,
    signingKey: (await ctx.signing()).privateKey,
    signatureVersion: message.signatureVersion ?? ('1' as const),
  };
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
