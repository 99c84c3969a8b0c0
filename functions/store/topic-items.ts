import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  DeliveryTarget,
  PublishedMessage,
  SubscriptionRecord,
  TopicRecord,
  TopicRef,
} from '../topics/model';
import type { Item } from './items';

/**
 * How topics, subscriptions and the publish outbox map to items of the messages table (short
 * attribute names: every byte of a name is billed on every write).
 *
 *   topic         pk `topic`  sk `<account>#<region>#<name>`            id, f (FIFO), cb, at (attributes), tg (tags), c
 *   subscription  pk `sub`    sk `<account>#<region>#<topic>#<sub id>`  ti (topic id), pr, ep, ow, rw, fp, fs, at, pc, tk, c
 *   outbox entry  pk `ob#<shard>`  sk `<published at, 13 digits>#<message id>`  m (message), tg (targets), l (claimed until)
 *   FIFO dedup    pk `td#<topic id>#<deduplication id>`  sk `d`   mi, sn, x (window end), ttl
 *
 * Topic and subscription records each live in one partition, sorted so an account's (or a
 * topic's) are one range query: they are few and read through a cache. Outbox entries are
 * spread over shards and sorted by time, so the sweeper finds stale ones with a range query per
 * shard and no index.
 */
export const topicsPartition = 'topic';
export const subscriptionsPartition = 'sub';
export const outboxShards = 8;
export const outboxPartition = (shard: number) => `ob#${shard}`;

export const topicSortKey = (ref: TopicRef) => `${ref.account}#${ref.region}#${ref.name}`;
export const topicKey = (ref: TopicRef): Item => ({
  pk: { S: topicsPartition },
  sk: { S: topicSortKey(ref) },
});
export const subscriptionKey = (topic: TopicRef, id: string): Item => ({
  pk: { S: subscriptionsPartition },
  sk: { S: `${topicSortKey(topic)}#${id}` },
});
export const deduplicationKey = (topicId: string, deduplicationId: string): Item => ({
  pk: { S: `td#${topicId}#${deduplicationId}` },
  sk: { S: 'd' },
});

const str = (s: string): AttributeValue => ({ S: s });
const num = (n: number): AttributeValue => ({ N: String(n) });

export function topicToItem(topic: TopicRecord): Item {
  return {
    ...topicKey(topic.ref),
    id: str(topic.id),
    f: { BOOL: topic.fifo },
    cb: { BOOL: topic.contentBasedDeduplication },
    at: str(JSON.stringify(topic.attributes)),
    tg: str(JSON.stringify(topic.tags)),
    c: num(topic.createdAt),
  };
}

export function itemToTopic(item: Item): TopicRecord {
  const [account, region, name] = splitSortKey(item.sk!.S!, 3);
  return {
    ref: { account: account!, region: region!, name: name! },
    id: item.id!.S!,
    fifo: item.f?.BOOL === true,
    contentBasedDeduplication: item.cb?.BOOL === true,
    attributes: JSON.parse(item.at?.S ?? '{}'),
    tags: JSON.parse(item.tg?.S ?? '{}'),
    createdAt: Number(item.c?.N ?? 0),
  };
}

export function subscriptionToItem(s: SubscriptionRecord): Item {
  const item: Item = {
    ...subscriptionKey(s.topic, s.id),
    ti: str(s.topicId),
    pr: str(s.protocol),
    ep: str(s.endpoint),
    ow: str(s.owner),
    rw: { BOOL: s.rawMessageDelivery },
    fs: str(s.filterPolicyScope),
    at: str(JSON.stringify(s.attributes)),
    pc: { BOOL: s.pendingConfirmation },
    c: num(s.createdAt),
  };
  if (s.filterPolicyText !== undefined) item.fp = str(s.filterPolicyText);
  if (s.confirmationToken !== undefined) item.tk = str(s.confirmationToken);
  return item;
}

export function itemToSubscription(item: Item): SubscriptionRecord {
  const [account, region, name, id] = splitSortKey(item.sk!.S!, 4);
  const subscription: SubscriptionRecord = {
    topic: { account: account!, region: region!, name: name! },
    topicId: item.ti!.S!,
    id: id!,
    protocol: item.pr!.S! as SubscriptionRecord['protocol'],
    endpoint: item.ep!.S!,
    owner: item.ow!.S!,
    rawMessageDelivery: item.rw?.BOOL === true,
    filterPolicyScope: (item.fs?.S ?? 'MessageAttributes') as SubscriptionRecord['filterPolicyScope'],
    attributes: JSON.parse(item.at?.S ?? '{}'),
    pendingConfirmation: item.pc?.BOOL === true,
    createdAt: Number(item.c?.N ?? 0),
  };
  if (item.tk?.S !== undefined) subscription.confirmationToken = item.tk.S;
  if (item.fp?.S !== undefined) {
    subscription.filterPolicyText = item.fp.S;
    // Stored policies were validated when set.
    subscription.filterPolicy = JSON.parse(item.fp.S);
  }
  return subscription;
}

/** The sort key's time is when the entry is due to the sweeper: its publish time, or earlier. */
export function outboxItem(
  shard: number,
  message: PublishedMessage,
  targets: DeliveryTarget[],
  options: { dueAt?: number; claimedUntil?: number } = {},
): Item {
  const due = Math.max(0, options.dueAt ?? message.publishedAt);
  const item: Item = {
    pk: str(outboxPartition(shard)),
    sk: str(`${String(due).padStart(13, '0')}#${message.messageId}`),
    m: str(JSON.stringify(message)),
    tg: str(JSON.stringify(targets)),
  };
  if (options.claimedUntil !== undefined) item.l = { N: String(options.claimedUntil) };
  return item;
}

/** An outbox entry's key travels through the domain as one opaque string. */
export const outboxKeyString = (item: Item) => `${item.pk!.S!}|${item.sk!.S!}`;
export function outboxKey(key: string): Item {
  const at = key.indexOf('|');
  return { pk: str(key.slice(0, at)), sk: str(key.slice(at + 1)) };
}

function splitSortKey(sk: string, parts: number): string[] {
  // Names and ids never contain '#'; account and region neither.
  const fields = sk.split('#');
  return fields.length === parts
    ? fields
    : [...fields.slice(0, parts - 1), fields.slice(parts - 1).join('#')];
}
