import { randomBytes } from 'node:crypto';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ConsumerRecord } from '../push/model';
import type { ConsumerStore, SlotClaim } from '../push/port';
import { DynamoBase } from './base';
import type { CapacityReport } from './calls';
import { isConditionFailure } from './sdk-errors';

/**
 * The DynamoDB adapter of push delivery's storage port, in the messages table:
 *
 *   consumer  pk `consumer`        sk `<queue id>#<consumer id>`  d (the record, JSON)
 *   slot      pk `cs#<consumer id>`  sk `<n>`                     t (holder's token), l (held until), ttl
 *
 * Consumers are few and all in one partition: a queue's are one range query, everyone's one
 * query per dispatcher pass. A slot is held by a conditional write, so at most
 * maximumConcurrency deliveries of a consumer are in flight across every process.
 */
const consumersPartition = 'consumer';
const consumerKey = (queueId: string, id: string) => ({
  pk: { S: consumersPartition },
  sk: { S: `${queueId}#${id}` },
});
const slotKey = (consumerId: string, slot: number) => ({
  pk: { S: `cs#${consumerId}` },
  sk: { S: String(slot) },
});

const conditions = {
  absent: 'attribute_not_exists(pk)',
  exists: 'attribute_exists(pk)',
  /** Nobody holds the slot, or their hold ran out. */
  slotFree: 'attribute_not_exists(pk) OR l <= :now',
  heldBy: 't = :token',
} as const;

/** Slots tried per claim: a busy consumer costs a few failed conditional writes, not one per slot. */
const slotsTriedPerClaim = 4;

export class DynamoConsumerStore extends DynamoBase implements ConsumerStore {
  constructor(options: { client: DynamoDBClient; table: string; onConsumed?: CapacityReport }) {
    super({
      client: options.client,
      tables: { messages: options.table },
      ...(options.onConsumed ? { onConsumed: options.onConsumed } : {}),
    });
  }

  async createConsumer(consumer: ConsumerRecord) {
    try {
      await this.run('createConsumer', (c) =>
        this.client.send(
          new PutItemCommand({
            ...c,
            TableName: this.messages,
            Item: { ...consumerKey(consumer.queueId, consumer.id), d: { S: JSON.stringify(consumer) } },
            ConditionExpression: conditions.absent,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getConsumer(queueId: string, id: string) {
    const out = await this.run('getConsumer', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.messages,
          Key: consumerKey(queueId, id),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item?.d?.S ? (JSON.parse(out.Item.d.S) as ConsumerRecord) : undefined;
  }

  async updateConsumer(consumer: ConsumerRecord) {
    try {
      await this.run('updateConsumer', (c) =>
        this.client.send(
          new PutItemCommand({
            ...c,
            TableName: this.messages,
            Item: { ...consumerKey(consumer.queueId, consumer.id), d: { S: JSON.stringify(consumer) } },
            ConditionExpression: conditions.exists,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteConsumer(queueId: string, id: string) {
    await this.run('deleteConsumer', (c) =>
      this.client.send(
        new DeleteItemCommand({ ...c, TableName: this.messages, Key: consumerKey(queueId, id) }),
      ),
    );
  }

  listConsumers(queueId: string) {
    return this.queryConsumers(`${queueId}#`);
  }

  listAllConsumers() {
    return this.queryConsumers(undefined);
  }

  private async queryConsumers(prefix: string | undefined): Promise<ConsumerRecord[]> {
    const consumers: ConsumerRecord[] = [];
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const out = await this.run('listConsumers', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.messages,
            KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
            ExpressionAttributeValues: {
              ':pk': { S: consumersPartition },
              ...(prefix ? { ':prefix': { S: prefix } } : {}),
            },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of out.Items ?? [])
        if (item.d?.S) consumers.push(JSON.parse(item.d.S) as ConsumerRecord);
      start = out.LastEvaluatedKey;
    } while (start);
    return consumers;
  }

  async claimSlot(
    consumerId: string,
    slots: number,
    now: number,
    until: number,
  ): Promise<SlotClaim | undefined> {
    const first = Math.floor(Math.random() * slots);
    for (let i = 0; i < Math.min(slots, slotsTriedPerClaim); i++) {
      const slot = (first + i) % slots;
      const token = randomBytes(8).toString('hex');
      try {
        await this.run('claimSlot', (c) =>
          this.client.send(
            new UpdateItemCommand({
              ...c,
              TableName: this.messages,
              Key: slotKey(consumerId, slot),
              UpdateExpression: 'SET t = :token, l = :until, #ttl = :ttl',
              ConditionExpression: conditions.slotFree,
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':token': { S: token },
                ':until': { N: String(until) },
                ':now': { N: String(now) },
                ':ttl': { N: String(Math.ceil(until / 1000) + 86_400) },
              },
            }),
          ),
        );
        return { slot, token };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return undefined;
  }

  async releaseSlot(consumerId: string, claim: SlotClaim) {
    try {
      await this.run('releaseSlot', (c) =>
        this.client.send(
          new DeleteItemCommand({
            ...c,
            TableName: this.messages,
            Key: slotKey(consumerId, claim.slot),
            ConditionExpression: conditions.heldBy,
            ExpressionAttributeValues: { ':token': { S: claim.token } },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
