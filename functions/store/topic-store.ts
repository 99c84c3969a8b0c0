import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { invalidParameter } from '../topics/errors';
import type {
  DeliveryTarget,
  OutboxEntry,
  PublishedMessage,
  SubscriptionRecord,
  TopicRecord,
  TopicRef,
} from '../topics/model';
import type { Page, TopicStore } from '../topics/port';
import type { StoredSigningIdentity } from '../topics/signing';
import { DynamoBase } from './base';
import type { CapacityReport } from './calls';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';
import { getSigningIdentity, putSigningIdentity } from './signing-store';
import {
  deduplicationKey,
  itemToSubscription,
  itemToTopic,
  outboxItem,
  outboxKey,
  outboxKeyString,
  outboxPartition,
  outboxShards,
  subscriptionKey,
  subscriptionsPartition,
  subscriptionToItem,
  topicKey,
  topicsPartition,
  topicToItem,
} from './topic-items';

/** The DynamoDB adapter of the topics' storage port (item layout in topic-items.ts). */
export interface DynamoTopicStoreOptions {
  client: DynamoDBClient;
  /** The messages table. */
  table: string;
  onConsumed?: CapacityReport;
}

/** Named conditions: a reader sees the rule, not the syntax. */
const conditions = {
  absent: 'attribute_not_exists(pk)',
  sameIncarnation: 'attribute_exists(pk) AND id = :id',
  /** A deduplication id outside its window may be claimed again (TTL removes it late, if ever locally). */
  deduplicationFree: 'attribute_not_exists(pk) OR x <= :now',
  /** Nobody holds the entry, or their hold ran out. */
  outboxFree: 'attribute_exists(pk) AND (attribute_not_exists(l) OR l <= :now)',
  exists: 'attribute_exists(pk)',
} as const;

export class DynamoTopicStore extends DynamoBase implements TopicStore {
  constructor(options: DynamoTopicStoreOptions) {
    super({
      client: options.client,
      tables: { messages: options.table },
      ...(options.onConsumed ? { onConsumed: options.onConsumed } : {}),
    });
  }

  async createTopic(topic: TopicRecord) {
    try {
      await this.run('createTopic', (c) =>
        this.client.send(
          new PutItemCommand({
            ...c,
            TableName: this.messages,
            Item: topicToItem(topic),
            ConditionExpression: conditions.absent,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { created: true as const };
    } catch (error) {
      if (isConditionFailure(error) && error.Item) {
        return { created: false as const, existing: itemToTopic(error.Item as Item) };
      }
      throw error;
    }
  }

  getSigningIdentity() {
    return getSigningIdentity(this);
  }

  putSigningIdentity(identity: StoredSigningIdentity) {
    return putSigningIdentity(this, identity);
  }

  async getTopic(ref: TopicRef) {
    const out = await this.run('getTopic', (c) =>
      this.client.send(
        new GetItemCommand({ ...c, TableName: this.messages, Key: topicKey(ref), ConsistentRead: true }),
      ),
    );
    return out.Item ? itemToTopic(out.Item) : undefined;
  }

  async updateTopic(topic: TopicRecord) {
    try {
      await this.run('updateTopic', (c) =>
        this.client.send(
          new PutItemCommand({
            ...c,
            TableName: this.messages,
            Item: topicToItem(topic),
            ConditionExpression: conditions.sameIncarnation,
            ExpressionAttributeValues: { ':id': { S: topic.id } },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteTopic(ref: TopicRef) {
    await this.run('deleteTopic', (c) =>
      this.client.send(new DeleteItemCommand({ ...c, TableName: this.messages, Key: topicKey(ref) })),
    );
  }

  async listTopics(
    account: string,
    region: string,
    limit: number,
    nextToken?: string,
  ): Promise<Page<TopicRecord>> {
    const page = await this.queryPrefix(
      'listTopics',
      topicsPartition,
      `${account}#${region}#`,
      limit,
      nextToken,
    );
    return { items: page.items.map(itemToTopic), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async putSubscription(subscription: SubscriptionRecord) {
    await this.run('putSubscription', (c) =>
      this.client.send(
        new PutItemCommand({ ...c, TableName: this.messages, Item: subscriptionToItem(subscription) }),
      ),
    );
  }

  async getSubscription(topic: TopicRef, id: string) {
    const out = await this.run('getSubscription', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.messages,
          Key: subscriptionKey(topic, id),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? itemToSubscription(out.Item) : undefined;
  }

  async deleteSubscription(topic: TopicRef, id: string) {
    await this.run('deleteSubscription', (c) =>
      this.client.send(
        new DeleteItemCommand({ ...c, TableName: this.messages, Key: subscriptionKey(topic, id) }),
      ),
    );
  }

  async listSubscriptions(
    scope: { account: string; region: string; topic?: string },
    limit: number,
    nextToken?: string,
  ): Promise<Page<SubscriptionRecord>> {
    const prefix = `${scope.account}#${scope.region}#${scope.topic === undefined ? '' : `${scope.topic}#`}`;
    const page = await this.queryPrefix(
      'listSubscriptions',
      subscriptionsPartition,
      prefix,
      limit,
      nextToken,
    );
    return {
      items: page.items.map(itemToSubscription),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  async claimDeduplicationId(
    topicId: string,
    deduplicationId: string,
    accepted: { messageId: string; sequenceNumber: string },
    now: number,
    windowMs: number,
  ) {
    try {
      await this.run('claimDeduplicationId', (c) =>
        this.client.send(
          new PutItemCommand({
            ...c,
            TableName: this.messages,
            Item: {
              ...deduplicationKey(topicId, deduplicationId),
              mi: { S: accepted.messageId },
              sn: { S: accepted.sequenceNumber },
              x: { N: String(now + windowMs) },
              ttl: { N: String(Math.ceil((now + windowMs) / 1000) + 3600) },
            },
            ConditionExpression: conditions.deduplicationFree,
            ExpressionAttributeValues: { ':now': { N: String(now) } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return {};
    } catch (error) {
      if (isConditionFailure(error) && error.Item) {
        const old = error.Item as Item;
        return { duplicateOf: { messageId: old.mi!.S!, sequenceNumber: old.sn!.S! } };
      }
      throw error;
    }
  }

  async putOutbox(
    message: PublishedMessage,
    targets: DeliveryTarget[],
    options?: { dueAt?: number; claimedUntil?: number },
  ) {
    const item = outboxItem(Math.floor(Math.random() * outboxShards), message, targets, options);
    await this.run('putOutbox', (c) =>
      this.client.send(new PutItemCommand({ ...c, TableName: this.messages, Item: item })),
    );
    return outboxKeyString(item);
  }

  async updateOutbox(key: string, remaining: DeliveryTarget[]) {
    try {
      await this.run('updateOutbox', (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: outboxKey(key),
            UpdateExpression: 'SET tg = :targets REMOVE l',
            ConditionExpression: conditions.exists,
            ExpressionAttributeValues: { ':targets': { S: JSON.stringify(remaining) } },
          }),
        ),
      );
    } catch (error) {
      // Someone finished it meanwhile: nothing left to narrow.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async removeOutbox(key: string) {
    await this.run('removeOutbox', (c) =>
      this.client.send(new DeleteItemCommand({ ...c, TableName: this.messages, Key: outboxKey(key) })),
    );
  }

  async listStaleOutbox(olderThan: number, limit: number): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    for (let shard = 0; shard < outboxShards && entries.length < limit; shard++) {
      const out = await this.run('listStaleOutbox', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.messages,
            KeyConditionExpression: 'pk = :pk AND sk < :before',
            ExpressionAttributeValues: {
              ':pk': { S: outboxPartition(shard) },
              ':before': { S: String(olderThan).padStart(13, '0') },
            },
            Limit: limit - entries.length,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        entries.push({
          key: outboxKeyString(item),
          message: JSON.parse(item.m!.S!),
          targets: JSON.parse(item.tg!.S!),
        });
      }
    }
    return entries;
  }

  async claimOutbox(key: string, now: number, until: number) {
    try {
      await this.run('claimOutbox', (c) =>
        this.client.send(
          new UpdateItemCommand({
            ...c,
            TableName: this.messages,
            Key: outboxKey(key),
            UpdateExpression: 'SET l = :until',
            ConditionExpression: conditions.outboxFree,
            ExpressionAttributeValues: { ':now': { N: String(now) }, ':until': { N: String(until) } },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async queryPrefix(
    operation: string,
    partition: string,
    prefix: string,
    limit: number,
    nextToken?: string,
  ) {
    const start = nextToken ? decodeToken(nextToken, prefix) : undefined;
    const out = await this.run(operation, (c) =>
      this.client.send(
        new QueryCommand({
          ...c,
          TableName: this.messages,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': { S: partition }, ':prefix': { S: prefix } },
          Limit: limit,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: { pk: { S: partition }, sk: { S: start } } } : {}),
        }),
      ),
    );
    const last = out.LastEvaluatedKey?.sk?.S;
    return {
      items: out.Items ?? [],
      ...(last ? { nextToken: Buffer.from(last).toString('base64url') } : {}),
    };
  }
}

/** A token is the last sort key read; one from another listing (another prefix) is refused. */
function decodeToken(token: string, prefix: string): string {
  const sk = Buffer.from(token, 'base64url').toString('utf8');
  if (!sk.startsWith(prefix)) throw invalidParameter('Invalid parameter: NextToken', 'NextToken');
  return sk;
}
