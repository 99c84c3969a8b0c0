import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts every DynamoDB call a client makes and the capacity each reports, by command name, with
 * a middleware on the client. Calls the store does not ask capacity for (its batch reads) get
 * `ReturnConsumedCapacity: INDEXES` added here, and are marked: the store's onConsumed hook does
 * not see them, and the bench says so rather than hiding their units.
 */
export interface MeterEntry {
  command: string;
  /** Capacity units on the table (reads for reads, writes for writes). */
  table: number;
  /** Capacity units on global secondary indexes. */
  index: number;
  /** Read units for reads (GetItem, Query, BatchGetItem), write units for writes. */
  kind: 'read' | 'write';
  /** ReturnConsumedCapacity was added by the meter: the store's hook never reports this call. */
  unhooked: boolean;
}

export interface DynamoMeter {
  readonly entries: MeterEntry[];
  clear(): void;
  calls(filter?: (command: string) => boolean): number;
  byCommand(): Record<string, number>;
}

const capacityCommands = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

const readCommands = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** `askCapacity`: add ReturnConsumedCapacity where the caller did not (changes the request). */
export function meterClient(client: DynamoDBClient, options: { askCapacity: boolean }): DynamoMeter {
  const entries: MeterEntry[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'unknown');
      const input = args.input as { ReturnConsumedCapacity?: string };
      let unhooked = false;
      if (
        options.askCapacity &&
        capacityCommands.has(command) &&
        (input.ReturnConsumedCapacity === undefined || input.ReturnConsumedCapacity === 'NONE')
      ) {
        input.ReturnConsumedCapacity = 'INDEXES';
        unhooked = true;
      }
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const units = sumCapacity(consumed);
      const name = command.replace(/Command$/, '');
      entries.push({ command: name, ...units, kind: readCommands.has(name) ? 'read' : 'write', unhooked });
      return result;
    },
    { step: 'initialize', name: 'benchDynamoMeter', override: true },
  );
  return {
    entries,
    clear: () => {
      entries.length = 0;
    },
    calls: (filter = () => true) => entries.filter((e) => filter(e.command)).length,
    byCommand: () => {
      const counts: Record<string, number> = {};
      for (const e of entries) counts[e.command] = (counts[e.command] ?? 0) + 1;
      return counts;
    },
  };
}

/** Table and index units of one call's ConsumedCapacity (one entry, or one per table for batches). */
export function sumCapacity(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): {
  table: number;
  index: number;
} {
  let table = 0;
  let index = 0;
  for (const c of [consumed ?? []].flat()) {
    table += c.Table?.CapacityUnits ?? 0;
    for (const i of Object.values(c.GlobalSecondaryIndexes ?? {})) index += i.CapacityUnits ?? 0;
    for (const i of Object.values(c.LocalSecondaryIndexes ?? {})) index += i.CapacityUnits ?? 0;
    // Some responses carry only the total.
    if (!c.Table && !c.GlobalSecondaryIndexes && !c.LocalSecondaryIndexes) table += c.CapacityUnits ?? 0;
  }
  return { table, index };
}
