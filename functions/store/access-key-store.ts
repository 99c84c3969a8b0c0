import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { AccessKey, AccessKeyStore, AccessKeySummary } from '../queue/ports/access-key-store';
import { DynamoBase } from './base';
import type { CapacityReport } from './calls';
import { conditions, filters, revokeKey } from './conditions';
import type { Item } from './items';

/**
 * The DynamoDB adapter of the access-key port. Keys live in the messages table, all in one
 * partition (pk `k`, sk = access key id), so a listing and the "any active key?" check are
 * queries, never scans; there are few keys and readers cache them. The secret is stored as
 * given: the table's encryption at rest protects it, and only this adapter reads it.
 *
 *   pk `k`  sk <access key id>  secret, account, createdAt, revokedAt?, note?
 *   pk `k#auth`  sk `switch`      on (BOOL), at: the authentication switch (see the port)
 *
 * Creating or revoking a key turns the switch on in the same transaction, so no crash between
 * two writes can leave a key without the authentication it implies.
 */
export const accessKeysPartition = 'k';

export interface AccessKeyStoreOptions {
  client: DynamoDBClient;
  /** The messages table. */
  table: string;
  onConsumed?: CapacityReport;
}

const switchKey: Item = { pk: { S: `${accessKeysPartition}#auth` }, sk: { S: 'switch' } };

const keyOf = (accessKeyId: string): Item => ({
  pk: { S: accessKeysPartition },
  sk: { S: accessKeyId },
});

export class DynamoAccessKeyStore extends DynamoBase implements AccessKeyStore {
  constructor(options: AccessKeyStoreOptions) {
    super({ client: options.client, tables: { messages: options.table }, onConsumed: options.onConsumed });
  }

  async createKey(key: AccessKey): Promise<boolean> {
    return this.commit('createAccessKey', [
      { Put: { TableName: this.messages, Item: toItem(key), ConditionExpression: conditions.itemAbsent } },
      { Put: { TableName: this.messages, Item: switchItem(true, key.createdAt) } },
    ]);
  }

  async getKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const out = await this.run('getAccessKey', (c) =>
      this.client.send(
        new GetItemCommand({
          ...c,
          TableName: this.messages,
          Key: keyOf(accessKeyId),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? { ...summaryOf(out.Item), secretAccessKey: out.Item.secret?.S ?? '' } : undefined;
  }

  async listKeys(): Promise<AccessKeySummary[]> {
    const items = await this.queryAll({
      // The secret is not even read for a listing.
      ProjectionExpression: 'sk, account, createdAt, revokedAt, #note',
      ExpressionAttributeNames: { '#note': 'note' },
    });
    return items.map(summaryOf);
  }

  async revokeKey(accessKeyId: string, at: number): Promise<boolean> {
    return this.commit('revokeAccessKey', [
      {
        Update: {
          TableName: this.messages,
          Key: keyOf(accessKeyId),
          UpdateExpression: revokeKey,
          ConditionExpression: conditions.itemExists,
          ExpressionAttributeValues: { ':at': { N: String(at) } },
        },
      },
      {
        // On unless explicitly turned off: a revocation never opens the service.
        Update: {
          TableName: this.messages,
          Key: switchKey,
          UpdateExpression: 'SET #on = if_not_exists(#on, :on), #at = if_not_exists(#at, :at)',
          ExpressionAttributeNames: { '#on': 'on', '#at': 'at' },
          ExpressionAttributeValues: { ':on': { BOOL: true }, ':at': { N: String(at) } },
        },
      },
    ]);
  }

  async getAuthentication(): Promise<boolean | undefined> {
    const out = await this.run('getAuthentication', (c) =>
      this.client.send(
        new GetItemCommand({ ...c, TableName: this.messages, Key: switchKey, ConsistentRead: true }),
      ),
    );
    return out.Item?.on?.BOOL;
  }

  async setAuthentication(on: boolean, at: number): Promise<void> {
    await this.run('setAuthentication', (c) =>
      this.client.send(new PutItemCommand({ ...c, TableName: this.messages, Item: switchItem(on, at) })),
    );
  }

  async hasActiveKeys(): Promise<boolean> {
    const active = await this.queryAll(
      { ProjectionExpression: 'sk', FilterExpression: filters.activeKey },
      1,
    );
    return active.length > 0;
  }

  /** Every key item (or the first `enough` that match), page by page. */
  private async queryAll(extra: Partial<QueryCommandInput>, enough = Number.POSITIVE_INFINITY) {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.run('queryAccessKeys', (c) =>
        this.client.send(
          new QueryCommand({
            ...c,
            TableName: this.messages,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: accessKeysPartition } },
            ConsistentRead: true,
            ...extra,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < enough);
    return items;
  }
}

function switchItem(on: boolean, at: number): Item {
  return { ...switchKey, on: { BOOL: on }, at: { N: String(at) } };
}

function toItem(key: AccessKey): Item {
  return {
    ...keyOf(key.accessKeyId),
    secret: { S: key.secretAccessKey },
    account: { S: key.accountId },
    createdAt: { N: String(key.createdAt) },
    ...(key.revokedAt === undefined ? {} : { revokedAt: { N: String(key.revokedAt) } }),
    ...(key.description ? { note: { S: key.description } } : {}),
  };
}

function summaryOf(item: Item): AccessKeySummary {
  return {
    accessKeyId: item.sk!.S!,
    accountId: item.account?.S ?? '',
    createdAt: Number(item.createdAt?.N ?? 0),
    ...(item.revokedAt?.N === undefined ? {} : { revokedAt: Number(item.revokedAt.N) }),
    ...(item.note?.S === undefined ? {} : { description: item.note.S }),
  };
}
