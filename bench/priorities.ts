import { randomUUID } from 'node:crypto';
import type { QueueContext } from '../functions/queue/context';
import type { QueueRef } from '../functions/queue/model';
import { deleteMessageBatch } from '../functions/queue/operations/acknowledge';
import { createQueue } from '../functions/queue/operations/queues';
import { receiveMessages } from '../functions/queue/operations/receive';
import { sendMessageBatch } from '../functions/queue/operations/send';
import { priorityOf } from '../functions/queue/shared/priority';
import { createDynamoClient } from '../functions/store/client';
import type { TableNames } from '../functions/store/table-layout';
import { benchQueueContext } from './context';
import { type DynamoMeter, meterClient } from './dynamo-meter';
import { textTable } from './table';

/**
 * What priorities cost a receive (queue/shared/priority.ts): the DynamoDB calls and read units of
 * one receive, on a queue that never used a priority (it must pay what it paid before priorities
 * existed: one index query per shard visited), on one that used priority 9 once but now holds
 * only priority-0 messages (every receive first visits the empty priority-9 partitions), and on one
 * whose backlog mixes priorities 0, 5 and 9. Each scenario: a backlog of messages, then receives
 * of `maxMessages`, each followed by a batch delete (not counted), until the backlog is gone; and
 * one receive of the empty queue.
 */
export interface PriorityCostRow {
  scenario: string;
  maxMessages: number;
  receives: number;
  /** Per receive, averaged: DynamoDB calls, index queries, lease writes, read units. */
  calls: number;
  queries: number;
  leases: number;
  readUnits: number;
  /** One receive of the emptied queue. */
  emptyQueries: number;
  /** Whether every receive returned its messages in priority order, highest first, across receives. */
  inOrder: boolean;
}

const scenarios = [
  { scenario: 'no priorities', used: [] as number[], backlog: [0] },
  { scenario: 'used priority 9 once, backlog at 0', used: [9], backlog: [0] },
  { scenario: 'backlog at priorities 0, 5, 9', used: [], backlog: [0, 5, 9] },
];

export async function measurePriorityCost(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  shards: number;
  backlog?: number;
}): Promise<PriorityCostRow[]> {
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: 'us-east-1' });
  const meter = meterClient(client, { askCapacity: true });
  const rows: PriorityCostRow[] = [];
  try {
    for (const maxMessages of [1, 10]) {
      for (const s of scenarios) {
        // A fresh context per scenario: no candidates or settings cached from another.
        const ctx = benchQueueContext({ client, tables: options.tables, shards: options.shards });
        rows.push(
          await measure(ctx, meter, {
            scenario: s.scenario,
            used: s.used,
            maxMessages,
            backlog: options.backlog ?? 60,
          }),
        );
      }
    }
  } finally {
    client.destroy();
  }
  return rows;
}

async function measure(
  ctx: QueueContext,
  meter: DynamoMeter,
  s: { scenario: string; used: number[]; backlog: number; maxMessages: number },
): Promise<PriorityCostRow> {
  const spec = scenarios.find((x) => x.scenario === s.scenario)!;
  const ref: QueueRef = {
    account: '000000000000',
    region: 'us-east-1',
    name: `bench-prio-${randomUUID().slice(0, 8)}`,
  };
  await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 300 } });
  const sender = { senderId: '000000000000' };
  for (const priority of spec.used) {
    await sendMessageBatch(ctx, ref, [{ id: 'once', body: 'once', priority }], sender);
    const got = await receiveMessages(ctx, ref);
    await deleteMessageBatch(
      ctx,
      ref,
      got.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })),
    );
  }
  for (let sent = 0; sent < s.backlog; sent += 10) {
    const entries = Array.from({ length: 10 }, (_, i) => ({
      id: `m${i}`,
      body: `backlog ${sent + i}`,
      priority: spec.backlog[(sent + i) % spec.backlog.length]!,
    }));
    await sendMessageBatch(ctx, ref, entries, sender);
  }
  let receives = 0;
  let calls = 0;
  let queries = 0;
  let leases = 0;
  let readUnits = 0;
  let last = Number.POSITIVE_INFINITY;
  let inOrder = true;
  for (let left = s.backlog; left > 0 && receives < s.backlog * 3; ) {
    meter.clear();
    const got = await receiveMessages(ctx, ref, { maxMessages: s.maxMessages });
    receives++;
    calls += meter.entries.length;
    queries += meter.calls((c) => c === 'Query');
    leases += meter.calls((c) => c === 'UpdateItem');
    readUnits += meter.entries
      .filter((e) => e.kind === 'read')
      .reduce((sum, e) => sum + e.table + e.index, 0);
    for (const m of got) {
      if (priorityOf(m) > last) inOrder = false;
      last = priorityOf(m);
    }
    left -= got.length;
    if (got.length > 0) {
      await deleteMessageBatch(
        ctx,
        ref,
        got.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })),
      );
    }
  }
  meter.clear();
  await receiveMessages(ctx, ref, { maxMessages: s.maxMessages });
  const emptyQueries = meter.calls((c) => c === 'Query');
  const per = (n: number) => Math.round((n / receives) * 100) / 100;
  return {
    scenario: s.scenario,
    maxMessages: s.maxMessages,
    receives,
    calls: per(calls),
    queries: per(queries),
    leases: per(leases),
    readUnits: per(readUnits),
    emptyQueries,
    inOrder,
  };
}

export function priorityTable(rows: PriorityCostRow[], shards: number): string {
  return [
    `Receive cost with and without priorities (${shards} shards; per receive, DynamoDB Local's ConsumedCapacity)`,
    textTable(
      [
        'scenario',
        'max',
        'receives',
        'calls',
        'index queries',
        'lease writes',
        'read units',
        'empty receive: queries',
        'in priority order',
      ],
      rows.map((r) => [
        r.scenario,
        String(r.maxMessages),
        String(r.receives),
        r.calls.toFixed(2),
        r.queries.toFixed(2),
        r.leases.toFixed(2),
        r.readUnits.toFixed(2),
        String(r.emptyQueries),
        r.inOrder ? 'yes' : 'NO',
      ]),
    ),
  ].join('\n');
}
