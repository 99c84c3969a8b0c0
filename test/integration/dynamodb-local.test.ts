// Smoke test: the DynamoDB provided by test/global-setup.ts answers real SDK calls.
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, expect, inject, test } from 'vitest';

const client = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

afterAll(() => client.destroy());

test('an item round-trips through DynamoDB Local', async () => {
  const TableName = `smoke-${randomUUID()}`;
  await client.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  try {
    const Item = { pk: { S: 'message-1' }, body: { S: 'hello' }, receives: { N: '3' } };
    await client.send(new PutItemCommand({ TableName, Item }));
    const got = await client.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'message-1' } }, ConsistentRead: true }),
    );
    expect(got.Item).toEqual(Item);
  } finally {
    await client.send(new DeleteTableCommand({ TableName }));
  }
});
