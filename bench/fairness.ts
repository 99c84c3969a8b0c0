import { randomUUID } from 'node:crypto';
import { fairRules } from '../functions/queue/fair-groups';
import { createQueue } from '../functions/queue/operations/queues';
import { receiveMessages } from '../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../functions/queue/operations/send';
import { createDynamoClient } from '../functions/store/client';
import type { TableNames } from '../functions/store/table-layout';
import { benchQueueContext } from './context';
import { type MeterEntry, meterClient } from './dynamo-meter';
import { textTable } from './table';

/**
 * What fair queues cost (README "Fair queues"): DynamoDB calls and units per send of one message
 * and per receive of one, on a queue that never uses group ids, on one whose messages carry them
 * with no noisy group, and on one with a noisy group (40 in flight of 40). The real clock: the
 * noisy set is read again every 2 seconds per process, so its reads are spread over the receives.
 */
export interface FairnessRow {
  scenario: string;
  send: PerCall;
  receive: PerCall;
}

interface PerCall {
  calls: number;
  writeUnits: number;
  readUnits: number;
  commands: Record<string, number>;
}

const perCall = (entries: MeterEntry[], count: number): PerCall => {
  const commands: Record<string, number> = {};
  for (const e of entries) commands[e.command] = (commands[e.command] ?? 0) + 1 / count;
  return {
    calls: entries.length / count,
    writeUnits: entries.filter((e) => e.kind === 'write').reduce((s, e) => s + e.table + e.index, 0) / count,
    readUnits: entries.filter((e) => e.kind === 'read').reduce((s, e) => s + e.table + e.index, 0) / count,
    commands,
  };
};

export async function measureFairness(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  shards: number;
}): Promise<FairnessRow[]> {
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: 'us-east-1' });
  const meter = meterClient(client, { askCapacity: true });
  const ctx = benchQueueContext({ client, tables: options.tables, shards: options.shards });
  const sender = { senderId: '000000000000' };
  const rows: FairnessRow[] = [];
  const rounds = 20;
  const scenario = async (label: string, group: (n: number) => string | undefined, noisyInFlight: number) => {
    const ref = {
      account: '000000000000',
      region: 'us-east-1',
      name: `bench-fair-${randomUUID().slice(0, 8)}`,
    };
    await createQueue(ctx, { ref, settings: { visibilityTimeoutSeconds: 300 } });
    for (let sent = 0; sent < noisyInFlight * 2; sent += 10) {
      const entries = Array.from({ length: 10 }, (_, i) => ({
        id: `n${i}`,
        body: 'noisy',
        groupId: 'noisy',
      }));
      await sendMessageBatch(ctx, ref, entries, sender);
    }
    for (let leased = 0; leased < noisyInFlight; leased += 10)
      await receiveMessages(ctx, ref, { maxMessages: 10 });
    // The noisy set read by those receives (nobody in flight yet) is trusted for refreshMs.
    await new Promise((resolve) => setTimeout(resolve, fairRules.refreshMs + 100));
    meter.clear();
    for (let n = 0; n < rounds; n++) {
      const groupId = group(n);
      await sendMessage(ctx, ref, { body: `m${n}`, ...(groupId === undefined ? {} : { groupId }) }, sender);
    }
    const sends = [...meter.entries];
    meter.clear();
    for (let n = 0; n < rounds; n++) await receiveMessages(ctx, ref, { maxMessages: 1 });
    rows.push({ scenario: label, send: perCall(sends, rounds), receive: perCall(meter.entries, rounds) });
  };
  await scenario('no group ids', () => undefined, 0);
  await scenario('group ids, 5 tenants, none noisy', (n) => `tenant-${n % 5}`, 0);
  await scenario('group ids, one noisy tenant (40 of 40 in flight)', (n) => `tenant-${n % 5}`, 40);
  client.destroy();
  return rows;
}

export function fairnessTable(rows: FairnessRow[]): string {
  const fixed = (n: number) => n.toFixed(2);
  const commands = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${fixed(v)}`)
      .join(', ');
  return `Fair queues: DynamoDB calls and units per send of 1 and per receive of 1 (DynamoDB Local, real clock)\n${textTable(
    [
      'scenario',
      'send calls',
      'send WCU',
      'receive calls',
      'receive RCU',
      'receive WCU',
      'receive calls by command',
    ],
    rows.map((r) => [
      r.scenario,
      fixed(r.send.calls),
      fixed(r.send.writeUnits),
      fixed(r.receive.calls),
      fixed(r.receive.readUnits),
      fixed(r.receive.writeUnits),
      commands(r.receive.commands),
    ]),
  )}`;
}
