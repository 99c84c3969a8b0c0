import type { DeliveryTarget, RetryPolicy, SubscriptionRecord, TopicRecord } from './model';
import { parseQueueArn } from './subscriptions';

/**
 * What a delivery needs from a subscription's policies, read when the publish matches it:
 * - DeliveryPolicy (the subscription's, else the topic's `http` section, else SNS's default for
 *   http(s): 3 retries 20 s apart, linear) decides how often and how far apart a failed http(s)
 *   delivery is tried again. Retries run from the outbox (sweep.ts), so a retry happens at the
 *   sweeper's first run after its delay: 10 s locally, 60 s deployed at worst.
 * - RedrivePolicy's deadLetterTargetArn names the queue that gets a delivery that never succeeds
 *   (retries used up, or an endpoint that can never take it, such as a deleted queue).
 * A policy that does not parse counts as absent: it was accepted as given, as SNS stores it.
 */
export const defaultRetryPolicy: RetryPolicy = {
  numRetries: 3,
  minDelayTarget: 20,
  maxDelayTarget: 20,
  backoffFunction: 'linear',
};

/** SNS's cap on retries of an http(s) delivery. */
const maxRetries = 100;

export function targetOf(
  subscription: SubscriptionRecord,
  topic: Pick<TopicRecord, 'attributes'>,
): DeliveryTarget {
  const target: DeliveryTarget = {
    subscriptionId: subscription.id,
    protocol: subscription.protocol,
    endpoint: subscription.endpoint,
    raw: subscription.rawMessageDelivery,
  };
  const deadLetterQueue = deadLetterQueueOf(subscription.attributes.RedrivePolicy);
  if (deadLetterQueue) target.deadLetterQueue = deadLetterQueue;
  if (subscription.protocol === 'http' || subscription.protocol === 'https') {
    target.retries = retryPolicyOf(subscription.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
  }
  return target;
}

function deadLetterQueueOf(redrivePolicy: string | undefined): string | undefined {
  const arn = parse(redrivePolicy)?.deadLetterTargetArn;
  return typeof arn === 'string' && parseQueueArn(arn) ? arn : undefined;
}

function retryPolicyOf(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): RetryPolicy {
  const own = parse(subscriptionPolicy)?.healthyRetryPolicy;
  const topicSection = (parse(topicPolicy)?.http as Record<string, unknown> | undefined)
    ?.defaultHealthyRetryPolicy;
  const given = (own ?? topicSection) as Record<string, unknown> | undefined;
  if (!given || typeof given !== 'object') return defaultRetryPolicy;
  const number = (name: keyof RetryPolicy, fallback: number, max: number) => {
    const value = given[name];
    return typeof value === 'number' && Number.isInteger(value) && value >= 0
      ? Math.min(value, max)
      : fallback;
  };
  const minDelayTarget = number('minDelayTarget', defaultRetryPolicy.minDelayTarget, 3_600);
  return {
    numRetries: number('numRetries', defaultRetryPolicy.numRetries, maxRetries),
    minDelayTarget,
    maxDelayTarget: Math.max(
      minDelayTarget,
      number('maxDelayTarget', defaultRetryPolicy.maxDelayTarget, 3_600),
    ),
    backoffFunction: typeof given.backoffFunction === 'string' ? given.backoffFunction : 'linear',
  };
}

/**
 * The delay before retry number `retry` (1-based) of `policy.numRetries`: from minDelayTarget to
 * maxDelayTarget, linearly, or exponentially for `exponential` and `geometric`.
 */
export function retryDelaySeconds(policy: RetryPolicy, retry: number): number {
  const { minDelayTarget: min, maxDelayTarget: max, numRetries } = policy;
  const share = numRetries <= 1 ? 1 : (retry - 1) / (numRetries - 1);
  if ((policy.backoffFunction === 'exponential' || policy.backoffFunction === 'geometric') && min > 0) {
    return Math.round(min * (max / min) ** share);
  }
  return Math.round(min + (max - min) * share);
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
