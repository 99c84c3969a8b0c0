import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoBase } from '../../functions/store/base';
import {
  actionsPerTransaction,
  applyCounterRecords,
  type CounterStreamRecord,
  counterItemsOf,
} from '../../functions/store/counter-apply';
import { registerCounterSettle } from '../../functions/store/counter-settle';
import type { Item } from '../../functions/store/items';

/**
 * The local service's stand-in for Lambda's stream mapping: it reads DynamoDB Local's stream of the
 * messages table and applies the records to the queues' counters (counter-apply.ts). It runs before
 * every count (so a count sees every write before it) and on a timer (so the stream never runs past
 * its 24-hour retention unread). Each shard's checkpoint is an item of the table, moved by the same
 * transaction that writes the counters, so several local processes (the tests run many) never
 * count a record twice.
 */

interface ShardState {
  iterator?: string;
  /** The checkpoint as stored (what the next write's condition expects). */
  stored?: string;
  closed?: boolean;
}

interface TableState {
  streamArn?: string;
  shards: Map<string, ShardState>;
  running: Promise<void>;
}

const tables = new Map<string, TableState>();
let client: DynamoDBStreamsClient | undefined;

/** Turns the local catch-up on for every store of this process. */
export function useLocalCounterStream(endpoint: string, region = 'us-east-1'): void {
  client = new DynamoDBStreamsClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  registerCounterSettle(settleLocalCounters);
}

/** Applies what the stream holds up to now; runs one catch-up per table at a time. */
export function settleLocalCounters(base: DynamoBase): Promise<void> {
  const state = tables.get(base.messages) ?? { shards: new Map(), running: Promise.resolve() };
  tables.set(base.messages, state);
  const next = state.running.then(() => catchUp(base, state));
  state.running = next.catch(() => undefined);
  return next;
}

async function catchUp(base: DynamoBase, state: TableState): Promise<void> {
  const streams = client!;
  state.streamArn ??= (
    await streams.send(new ListStreamsCommand({ TableName: base.messages }))
  ).Streams?.[0]?.StreamArn;
  if (!state.streamArn) return;
  const described = await streams.send(new DescribeStreamCommand({ StreamArn: state.streamArn }));
  for (const shard of described.StreamDescription?.Shards ?? []) {
    const shardId = shard.ShardId!;
    const shardState = state.shards.get(shardId) ?? {};
    state.shards.set(shardId, shardState);
    if (!shardState.closed) await readShard(base, state.streamArn, shardId, shardState);
  }
}

async function readShard(base: DynamoBase, streamArn: string, shardId: string, state: ShardState) {
  const key: Item = { pk: { S: `sc#${shardId}` }, sk: { S: 'c' } };
  for (let round = 0; round < 1_000; round++) {
    if (!state.iterator) await startFromCheckpoint(base, streamArn, shardId, key, state);
    let out: Awaited<ReturnType<typeof getRecords>>;
    try {
      out = await getRecords(state.iterator!);
    } catch (error) {
      // An iterator kept too long expires: start again from the checkpoint, once.
      if (round > 0) throw error;
      state.iterator = undefined;
      continue;
    }
    const records = (out.Records ?? []) as CounterStreamRecord[];
    if (records.length === 0) {
      state.iterator = out.NextShardIterator;
      state.closed = out.NextShardIterator === undefined;
      return;
    }
    let applied: boolean;
    try {
      applied = await applyInGroups(base, key, state, records);
    } catch (error) {
      // Some groups may be in: the next catch-up starts after the checkpoint, never before it.
      state.iterator = undefined;
      throw error;
    }
    if (!applied) {
      // Another process applied some of these first: carry on after its checkpoint.
      state.iterator = undefined;
      continue;
    }
    state.iterator = out.NextShardIterator;
    if (!state.iterator) {
      state.closed = true;
      return;
    }
  }
}

async function startFromCheckpoint(
  base: DynamoBase,
  streamArn: string,
  shardId: string,
  key: Item,
  state: ShardState,
) {
  const found = (await base.getAll([key])).values().next().value as Item | undefined;
  const stored = found?.q?.S;
  state.stored = stored;
  const out = await client!.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ...(stored
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: stored }
        : { ShardIteratorType: 'TRIM_HORIZON' }),
    }),
  );
  state.iterator = out.ShardIterator;
}

/**
 * Applies the records in runs that each fit in one transaction with the checkpoint (at most 99
 * counter items; a run of changes to one queue touches about three), so whatever happens midway,
 * the checkpoint says exactly what was applied.
 */
async function applyInGroups(base: DynamoBase, key: Item, state: ShardState, records: CounterStreamRecord[]) {
  for (const group of runsOf(records)) {
    const upTo = group[group.length - 1]!.dynamodb!.SequenceNumber!;
    const result = await applyCounterRecords(base, group, {
      key,
      ...(state.stored === undefined ? {} : { after: state.stored }),
      upTo,
    });
    if (!result.applied) return false;
    if (result.checkpointed) state.stored = upTo;
  }
  return true;
}

function runsOf(records: CounterStreamRecord[]): CounterStreamRecord[][] {
  const runs: CounterStreamRecord[][] = [];
  let run: CounterStreamRecord[] = [];
  let items = new Set<string>();
  for (const record of records) {
    const touched = counterItemsOf(record);
    const after = new Set([...items, ...touched]);
    if (after.size > actionsPerTransaction && run.length > 0) {
      runs.push(run);
      run = [];
      items = new Set(touched);
    } else {
      items = after;
    }
    run.push(record);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

const getRecords = (iterator: string) =>
  client!.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
