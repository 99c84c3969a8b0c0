import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { TableNames } from '../../functions/store/table-layout';

/**
 * Every item of the service's tables, in a stable order: the strongest "nothing changed" a test
 * can check, since it covers queue records, messages, leases, dead letters, tasks and keys alike.
 */
export async function tableState(client: DynamoDBClient, tables: TableNames): Promise<string[]> {
  const items: string[] = [];
  for (const table of [tables.messages, tables.deadLetters]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start as never }),
      );
      for (const item of page.Items ?? []) items.push(`${table} ${stable(item)}`);
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return items.sort();
}

function stable(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
