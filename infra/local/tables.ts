import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  deadLettersTable,
  messagesTable,
  type TableLayout,
  type TableNames,
} from '../../functions/store/table-layout';
import { useLocalCounterStream } from './counter-stream';

/**
 * Creates the service's tables from the shared layout, if they do not exist yet, and has this
 * process keep the queues' counters from the messages table's stream (counter-stream.ts), as
 * the counter function does deployed.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all([
    ensureTable(client, names.messages, messagesTable),
    ensureTable(client, names.deadLetters, deadLettersTable),
  ]);
  const endpoint = await client.config.endpoint?.();
  if (endpoint) {
    const port = endpoint.port ? `:${endpoint.port}` : '';
    useLocalCounterStream(
      `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path}`,
      await client.config.region(),
    );
  }
}

async function ensureTable(client: DynamoDBClient, name: string, layout: TableLayout): Promise<void> {
  const keyAttributes = [
    layout.partitionKey,
    layout.sortKey,
    ...layout.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const definitions = [...new Map(keyAttributes.map((a) => [a.name, a])).values()];
  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: definitions.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: layout.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: layout.sortKey.name, KeyType: 'RANGE' },
    ],
    ...(layout.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: layout.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection:
              index.projected.length > 0
                ? { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projected }
                : { ProjectionType: 'KEYS_ONLY' },
          })),
        }
      : {}),
    ...(layout.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: layout.stream } } : {}),
  };
  try {
    await client.send(new CreateTableCommand(input));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: layout.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') {
      // A table made by an earlier version (a kept local data directory) gets its stream now.
      if (layout.stream && !Table.StreamSpecification?.StreamEnabled) {
        await client.send(
          new UpdateTableCommand({
            TableName: name,
            StreamSpecification: { StreamEnabled: true, StreamViewType: layout.stream },
          }),
        );
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Table ${name} did not become active`);
}
