import type { SubscriptionRecord } from '../../topics/model';
import { subscriptionArn, topicArn } from '../../topics/model';
import {
  confirmSubscription,
  listSubscriptions,
  requireSubscription,
  setSubscriptionAttribute,
  subscribe,
  subscriptionAttributes,
  unsubscribe,
} from '../../topics/subscriptions';
import { requireTopic } from '../../topics/topics';
import { type SnsAction, topicOf } from './actions-topics';
import { entryMap, optionalString, requiredString } from './query';
import { entries } from './xml';

const callerOf = (call: Parameters<SnsAction>[0]) => ({ account: call.account, region: call.region });

export const Subscribe: SnsAction = async (call) => {
  const subscription = await subscribe(call.runtime.topics, topicOf(call), {
    protocol: requiredString(call.params, 'Protocol'),
    endpoint: optionalString(call.params, 'Endpoint'),
    attributes: entryMap(call.params, 'Attributes'),
    owner: call.account,
    baseUrl: call.baseUrl,
  });
  const returnArn = optionalString(call.params, 'ReturnSubscriptionArn') === 'true';
  return {
    SubscriptionArn:
      subscription.pendingConfirmation && !returnArn
        ? 'pending confirmation'
        : subscriptionArn(subscription.topic, subscription.id),
  };
};

export const ConfirmSubscription: SnsAction = async (call) => {
  const subscription = await confirmSubscription(
    call.runtime.topics,
    topicOf(call),
    requiredString(call.params, 'Token'),
  );
  return { SubscriptionArn: subscriptionArn(subscription.topic, subscription.id) };
};

export const Unsubscribe: SnsAction = async (call) => {
  await unsubscribe(call.runtime.topics, optionalString(call.params, 'SubscriptionArn'), callerOf(call));
  return undefined;
};

export const GetSubscriptionAttributes: SnsAction = async (call) => {
  const subscription = await requireSubscription(
    call.runtime.topics,
    optionalString(call.params, 'SubscriptionArn'),
    callerOf(call),
  );
  return { Attributes: entries(subscriptionAttributes(subscription)) };
};

export const SetSubscriptionAttributes: SnsAction = async (call) => {
  await setSubscriptionAttribute(
    call.runtime.topics,
    optionalString(call.params, 'SubscriptionArn'),
    callerOf(call),
    requiredString(call.params, 'AttributeName'),
    optionalString(call.params, 'AttributeValue'),
  );
  return undefined;
};

const member = (s: SubscriptionRecord) => ({
  SubscriptionArn: s.pendingConfirmation ? 'PendingConfirmation' : subscriptionArn(s.topic, s.id),
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: topicArn(s.topic),
});

export const ListSubscriptions: SnsAction = async (call) => {
  const page = await listSubscriptions(
    call.runtime.topics,
    callerOf(call),
    optionalString(call.params, 'NextToken'),
  );
  return {
    Subscriptions: { member: page.items.map(member) },
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

export const ListSubscriptionsByTopic: SnsAction = async (call) => {
  const ref = topicOf(call);
  await requireTopic(call.runtime.topics, ref);
  const page = await listSubscriptions(
    call.runtime.topics,
    { ...callerOf(call), topic: ref.name },
    optionalString(call.params, 'NextToken'),
  );
  return {
    Subscriptions: { member: page.items.map(member) },
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};
