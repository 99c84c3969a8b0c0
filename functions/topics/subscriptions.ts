import { randomBytes, randomUUID } from 'node:crypto';
import { sendConfirmation } from './confirmation';
import type { TopicsContext } from './context';
import { invalidParameter, subscriptionNotFound, TopicError } from './errors';
import { FilterPolicyError, type FilterPolicyScope, parseFilterPolicy } from './filter-policy/validate';
import {
  parseSubscriptionArn,
  type SubscriptionProtocol,
  type SubscriptionRecord,
  subscriptionArn,
  type TopicRef,
  topicArn,
} from './model';
import type { Page } from './port';
import { requireTopic } from './topics';

/** Subscriptions: subscribe (idempotent per endpoint), read and change attributes, list, unsubscribe. */

const supportedProtocols = new Set<string>(['sqs', 'http', 'https', 'lambda']);
/** SNS protocols this service does not deliver to: refused with a clear message. */
const unsupportedProtocols = new Set(['email', 'email-json', 'sms', 'application', 'firehose']);

const subscriptionAttributeNames = new Set([
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'RedrivePolicy',
  'DeliveryPolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

export interface SubscribeInput {
  protocol: string;
  endpoint: string | undefined;
  attributes?: Record<string, string>;
  owner: string;
  /** `<scheme>://<host>` the caller reached the service at: the confirmation's URLs start with it. */
  baseUrl?: string;
}

export async function subscribe(
  ctx: TopicsContext,
  ref: TopicRef,
  input: SubscribeInput,
): Promise<SubscriptionRecord> {
  const topic = await requireTopic(ctx, ref);
  const protocol = input.protocol;
  if (unsupportedProtocols.has(protocol)) {
    throw new TopicError(
      'Unsupported',
      `Invalid parameter: Protocol Reason: ${protocol} subscriptions are not supported by this service (it delivers to sqs, http and https endpoints)`,
      { field: 'Protocol' },
    );
  }
  if (!supportedProtocols.has(protocol)) {
    throw invalidParameter(
      `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`,
      'Protocol',
    );
  }
  const endpoint = input.endpoint;
  if (!endpoint) throw invalidParameter('Invalid parameter: Endpoint', 'Endpoint');
  if ((protocol === 'http' || protocol === 'https') && !endpoint.startsWith(`${protocol}://`)) {
    throw invalidParameter('Invalid parameter: Endpoint must match the specified protocol', 'Endpoint');
  }
  if (protocol === 'sqs') {
    const queue = parseQueueArn(endpoint);
    if (!queue) throw invalidParameter('Invalid parameter: SQS endpoint ARN', 'Endpoint');
    if (queue.name.endsWith('.fifo') && !topic.fifo) {
      throw invalidParameter(
        'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
        'Endpoint',
      );
    }
  }
  if (protocol === 'lambda' && !/^arn:aws[a-z-]*:lambda:/.test(endpoint)) {
    throw invalidParameter('Invalid parameter: Lambda endpoint ARN', 'Endpoint');
  }
  const subscription: SubscriptionRecord = {
    topic: ref,
    topicId: topic.id,
    id: randomUUID(),
    protocol: protocol as SubscriptionProtocol,
    endpoint,
    owner: input.owner,
    rawMessageDelivery: false,
    filterPolicyScope: 'MessageAttributes',
    attributes: {},
    // Queues of this service need no confirmation; http(s) endpoints confirm through the handshake.
    pendingConfirmation: protocol === 'http' || protocol === 'https',
    createdAt: ctx.clock.now(),
  };
  if (subscription.pendingConfirmation) subscription.confirmationToken = randomBytes(64).toString('hex');
  const attributes = input.attributes ?? {};
  // The scope first, so the policy is checked against the scope it will be used with.
  const ordered = Object.entries(attributes).sort(([a], [b]) =>
    a === 'FilterPolicyScope' ? -1 : b === 'FilterPolicyScope' ? 1 : 0,
  );
  for (const [name, value] of ordered)
    applyAttribute(subscription, name, value, 'Invalid parameter: Attributes Reason: ');

  const existing = (await ctx.cache.subscriptionsOf(topic)).find(
    (s) => s.protocol === subscription.protocol && s.endpoint === endpoint,
  );
  // The cache may be a little stale: the store is asked before a new subscription is made.
  const current = existing ?? (await findExisting(ctx, ref, topic.id, subscription));
  if (current) {
    const differs =
      Object.keys(attributes).length > 0 &&
      (current.rawMessageDelivery !== subscription.rawMessageDelivery ||
        current.filterPolicyText !== subscription.filterPolicyText ||
        current.filterPolicyScope !== subscription.filterPolicyScope);
    if (differs) {
      throw invalidParameter(
        'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
        'Attributes',
      );
    }
    if (current.pendingConfirmation && input.baseUrl !== undefined) {
      await sendConfirmation(ctx, topic, current, input.baseUrl);
    }
    return current;
  }
  await ctx.store.putSubscription(subscription);
  ctx.cache.forget(ref);
  if (subscription.pendingConfirmation && input.baseUrl !== undefined) {
    await sendConfirmation(ctx, topic, subscription, input.baseUrl);
  }
  return subscription;
}

async function findExisting(ctx: TopicsContext, ref: TopicRef, topicId: string, wanted: SubscriptionRecord) {
  return (await findAll(ctx, ref)).find(
    (s) => s.topicId === topicId && s.protocol === wanted.protocol && s.endpoint === wanted.endpoint,
  );
}

/** A subscription by ARN, in the caller's account. */
export async function requireSubscription(
  ctx: TopicsContext,
  arn: string | undefined,
  caller: { account: string; region: string },
): Promise<SubscriptionRecord> {
  const parsed = arn ? parseSubscriptionArn(arn) : undefined;
  if (!parsed || parsed.topic.region !== caller.region) {
    throw invalidParameter('Invalid parameter: SubscriptionArn', 'SubscriptionArn');
  }
  if (parsed.topic.account !== caller.account) throw subscriptionNotFound();
  const subscription = await ctx.store.getSubscription(parsed.topic, parsed.id);
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}

export async function unsubscribe(
  ctx: TopicsContext,
  arn: string | undefined,
  caller: { account: string; region: string },
): Promise<void> {
  const subscription = await requireSubscription(ctx, arn, caller);
  await ctx.store.deleteSubscription(subscription.topic, subscription.id);
  ctx.cache.forget(subscription.topic);
}

export function subscriptionAttributes(subscription: SubscriptionRecord): Record<string, string> {
  const attributes: Record<string, string> = {
    ConfirmationWasAuthenticated: 'true',
    Endpoint: subscription.endpoint,
    Owner: subscription.owner,
    PendingConfirmation: String(subscription.pendingConfirmation),
    Protocol: subscription.protocol,
    RawMessageDelivery: String(subscription.rawMessageDelivery),
    SubscriptionArn: subscriptionArn(subscription.topic, subscription.id),
    SubscriptionPrincipal: `arn:aws:iam::${subscription.owner}:root`,
    TopicArn: topicArn(subscription.topic),
    ...subscription.attributes,
  };
  // As SNS reports it: the scope only alongside a policy.
  if (subscription.filterPolicyText !== undefined) {
    attributes.FilterPolicy = subscription.filterPolicyText;
    attributes.FilterPolicyScope = subscription.filterPolicyScope;
  }
  return attributes;
}

export async function setSubscriptionAttribute(
  ctx: TopicsContext,
  arn: string | undefined,
  caller: { account: string; region: string },
  name: string,
  value: string | undefined,
): Promise<SubscriptionRecord> {
  const subscription = await requireSubscription(ctx, arn, caller);
  applyAttribute(subscription, name, value ?? '', 'Invalid parameter: ');
  await ctx.store.putSubscription(subscription);
  ctx.cache.forget(subscription.topic);
  return subscription;
}

/** Sets one attribute on a subscription being built or changed; `prefix` is how SNS starts the error. */
export function applyAttribute(
  subscription: SubscriptionRecord,
  name: string,
  value: string,
  prefix: string,
): void {
  if (!subscriptionAttributeNames.has(name)) {
    throw invalidParameter(`${prefix}AttributeName`, 'AttributeName');
  }
  switch (name) {
    case 'RawMessageDelivery': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') {
        throw invalidParameter(
          `${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`,
          name,
        );
      }
      subscription.rawMessageDelivery = lower === 'true';
      return;
    }
    case 'FilterPolicyScope': {
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalidParameter(
          `Invalid parameter: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
          name,
        );
      }
      if (subscription.filterPolicyText !== undefined) {
        subscription.filterPolicy = checkedPolicy(subscription.filterPolicyText, value, prefix);
      }
      subscription.filterPolicyScope = value;
      return;
    }
    case 'FilterPolicy': {
      if (value === '') {
        delete subscription.filterPolicy;
        delete subscription.filterPolicyText;
        return;
      }
      subscription.filterPolicy = checkedPolicy(value, subscription.filterPolicyScope, prefix);
      subscription.filterPolicyText = value;
      return;
    }
    default:
      if (value === '') delete subscription.attributes[name];
      else subscription.attributes[name] = value;
  }
}

function checkedPolicy(text: string, scope: FilterPolicyScope, prefix: string) {
  try {
    return parseFilterPolicy(text, scope);
  } catch (error) {
    if (!(error instanceof FilterPolicyError)) throw error;
    throw invalidParameter(
      error.scopeRule ? `Invalid parameter: ${error.reason}` : `${prefix}FilterPolicy: ${error.reason}`,
      'FilterPolicy',
    );
  }
}

export function listSubscriptions(
  ctx: TopicsContext,
  scope: { account: string; region: string; topic?: string },
  nextToken?: string,
  limit = 100,
): Promise<Page<SubscriptionRecord>> {
  return ctx.store.listSubscriptions(scope, limit, nextToken);
}

export function parseQueueArn(arn: string): TopicRef | undefined {
  const match = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(\.fifo)?)$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, account: match[2]!, name: match[3]! };
}

/** ConfirmSubscription: the token a pending http(s) subscription was sent confirms it. */
export async function confirmSubscription(
  ctx: TopicsContext,
  ref: TopicRef,
  token: string,
): Promise<SubscriptionRecord> {
  const topic = await requireTopic(ctx, ref);
  const subscription = (await findAll(ctx, ref)).find(
    (s) => s.topicId === topic.id && s.confirmationToken !== undefined && s.confirmationToken === token,
  );
  if (!subscription) throw invalidParameter('Invalid token', 'Token');
  if (subscription.pendingConfirmation) {
    subscription.pendingConfirmation = false;
    await ctx.store.putSubscription(subscription);
    ctx.cache.forget(ref);
  }
  return subscription;
}

async function findAll(ctx: TopicsContext, ref: TopicRef): Promise<SubscriptionRecord[]> {
  const all: SubscriptionRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.store.listSubscriptions({ ...ref, topic: ref.name }, 100, nextToken);
    all.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}
