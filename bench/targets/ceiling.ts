import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { StoredMessage } from '../../functions/queue/model';
import { conditions, takeLease } from '../../functions/store/conditions';
import { messageKey, messageToItems, readyPartition } from '../../functions/store/items';
import { readyIndexName } from '../../functions/store/table-layout';
import type { LifecycleTarget } from '../driver';

/**
 * The ceiling: raw DynamoDB calls, no queue code. The same table layout (with the ready index), the
 * same item the store writes, the same lease condition and update, but only the minimal calls of a
 * lifecycle: PutItem, conditional UpdateItem (ALL_NEW: the receiver needs the body), conditional
 * DeleteItem. The receiver leases a message it knows (no index query).
 *
 * With `query: true` a receive first queries the ready index of a shard, as the queue does, then
 * leases a candidate: the same DynamoDB work as the core, still without any queue code.
 */
export function ceilingTarget(
  client: DynamoDBClient,
  table: string,
  options: { query: boolean; shards: number; visibilitySeconds: number },
): LifecycleTarget {
  const queueId = `ceiling${options.query ? 'q' : ''}${randomUUID().slice(0, 6)}`;
  const sent: string[] = [];
  let cursor = 0;

  const lease = async (messageId: string): Promise<string | undefined> => {
    const now = Date.now();
    const token = randomUUID();
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: messageKey(queueId, messageId),
          ConditionExpression: conditions.deliverable(false, false),
          UpdateExpression: takeLease,
          ExpressionAttributeValues: {
            ':now': { N: String(now) },
            ':visibleUntil': { N: String(now + options.visibilitySeconds * 1000) },
            ':token': { S: token },
            ':one': { N: '1' },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return `${messageId} ${token}`;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  };

  return {
    async send(body) {
      const now = Date.now();
      const message: StoredMessage = {
        id: randomUUID(),
        queueId,
        shard: Math.floor(Math.random() * options.shards),
        body,
        attributes: {},
        senderId: '000000000000',
        sentAt: now,
        visibleAt: now,
        expiresAt: now + 345_600_000,
        receiveCount: 0,
      };
      await client.send(new PutItemCommand({ TableName: table, Item: messageToItems(message).message }));
      sent.push(message.id);
    },
    async receive() {
      if (!options.query) {
        const id = sent.shift();
        return id === undefined ? undefined : lease(id);
      }
      const start = cursor++;
      for (let i = 0; i < options.shards; i++) {
        const out = await client.send(
          new QueryCommand({
            TableName: table,
            IndexName: readyIndexName,
            KeyConditionExpression: 'g = :g AND v <= :now',
            ExpressionAttributeValues: {
              ':g': { S: readyPartition(queueId, (start + i) % options.shards) },
              ':now': { N: String(Date.now()) },
            },
            ProjectionExpression: 'pk',
            Limit: 5,
          }),
        );
        const candidates = (out.Items ?? []).map((item) =>
          item.pk!.S!.slice(item.pk!.S!.lastIndexOf('#') + 1),
        );
        for (let k = candidates.length - 1; k > 0; k--) {
          const j = Math.floor(Math.random() * (k + 1));
          [candidates[k], candidates[j]] = [candidates[j]!, candidates[k]!];
        }
        for (const id of candidates) {
          const handle = await lease(id);
          if (handle) return handle;
        }
      }
      return undefined;
    },
    async delete(handle) {
      const [messageId, token] = handle.split(' ') as [string, string];
      await client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: messageKey(queueId, messageId),
          ConditionExpression: conditions.holdsLease,
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      );
    },
  };
}
