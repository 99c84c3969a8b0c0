import { createHash } from 'node:crypto';
import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { DynamoBase } from './base';
import { keyString } from './batch';
import {
  bucketOf,
  type Contribution,
  contributionOf,
  headKey,
  hourKey,
  minuteKey,
  totalKey,
} from './counter-items';
import type { Item } from './items';

/**
 * Applies a run of the messages table's stream records to the queues' counters (counter-items.ts):
 * each record takes out what its old image counted and adds what its new image counts. Deployed,
 * Lambda's stream mapping hands the records to the counter function; locally, the service reads
 * DynamoDB Local's stream itself (infra/local/counter-stream.ts). Both call this.
 *
 * Exactly once: the counter writes of a run go in transactions whose client request token is
 * derived from the run's records, so a run Lambda retries (after a timeout, say) within DynamoDB's
 * 10-minute idempotency window changes nothing twice. A reader of a stream shard (local) also
 * names the shard's checkpoint: the first transaction moves it, and fails when another reader
 * applied these records first.
 */

export interface CounterStreamRecord {
  eventID?: string;
  dynamodb?: {
    SequenceNumber?: string;
    OldImage?: Record<string, { S?: string; N?: string }>;
    NewImage?: Record<string, { S?: string; N?: string }>;
  };
}

const N = (n: number): AttributeValue => ({ N: String(n) });
/** Counter items of buckets whose time has passed go a day later (they are never read again). */
const keepPassedMs = 86_400_000;
/** A transaction holds at most 100 actions; one is kept for the checkpoint. */
export const actionsPerTransaction = 99;

type Signed = { c: Contribution; sign: 1 | -1 };

export async function applyCounterRecords(
  base: DynamoBase,
  records: CounterStreamRecord[],
  checkpoint?: { key: Item; after?: string; upTo: string },
): Promise<{ applied: boolean; checkpointed: boolean }> {
  const signed: Signed[] = [];
  for (const record of records) {
    const before = contributionOf(record.dynamodb?.OldImage);
    const after = contributionOf(record.dynamodb?.NewImage);
    if (before && after && sameBucket(before, after)) continue;
    if (before) signed.push({ c: before, sign: -1 });
    if (after) signed.push({ c: after, sign: 1 });
  }
  const epochs = await readEpochs(base, [...new Set(signed.map((s) => s.c.queueId))]);
  const actions = counterUpdates(base, signed, epochs);
  // Nothing to count (leases within a second, other items): the checkpoint stays where it is, or
  // every count would write it, and its own stream record would need reading next time.
  if (actions.length === 0) return { applied: true, checkpointed: false };
  const seed = records.map((r) => r.eventID ?? r.dynamodb?.SequenceNumber ?? '').join(',');
  const chunks = chunk(actions, actionsPerTransaction);
  // With a checkpoint, the caller keeps runs small enough for one transaction (counter-stream.ts).
  if (checkpoint && chunks.length > 1) throw new Error('too many counter changes for one checkpointed run');
  for (const [index, part] of chunks.entries()) {
    // With a checkpoint there is one part and the checkpoint moves in it: a reader that lost these
    // records to another reader of the shard writes nothing. Without (Lambda), parts are idempotent
    // by their tokens, so a retried batch rewrites none of those already in.
    const items = index === 0 && checkpoint ? [checkpointUpdate(base, checkpoint), ...part] : part;
    const token = createHash('sha256').update(`${seed}|${index}`).digest('hex').slice(0, 36);
    const ok = await base.commitWithToken('applyCounters', items, token);
    if (!ok) return { applied: false, checkpointed: false };
  }
  return { applied: true, checkpointed: checkpoint !== undefined };
}

/**
 * The counter items a record may change (before epochs are known: one epoch per queue and run),
 * so a reader can cut runs that fit in one transaction.
 */
export function counterItemsOf(record: CounterStreamRecord): string[] {
  const items: string[] = [];
  for (const c of [contributionOf(record.dynamodb?.OldImage), contributionOf(record.dynamodb?.NewImage)]) {
    if (!c) continue;
    items.push(`${c.queueId}#n`);
    if (!c.hidden) continue;
    const b = bucketOf(c.hidden.visibleAt);
    items.push(`${c.queueId}#h${b.hour}`, `${c.queueId}#s${b.minute}`);
  }
  return items;
}

function sameBucket(a: Contribution, b: Contribution): boolean {
  if (a.queueId !== b.queueId || a.sentAt !== b.sentAt) return false;
  if (!a.hidden || !b.hidden) return !a.hidden && !b.hidden;
  return (
    a.hidden.kind === b.hidden.kind &&
    bucketOf(a.hidden.visibleAt).second === bucketOf(b.hidden.visibleAt).second
  );
}

/** The queues' epochs (last purge); queues without counters (older queues) are absent. */
async function readEpochs(base: DynamoBase, queueIds: string[]): Promise<Map<string, number>> {
  const epochs = new Map<string, number>();
  if (queueIds.length === 0) return epochs;
  const found = await base.getAll(queueIds.map(headKey));
  for (const queueId of queueIds) {
    const head = found.get(keyString(headKey(queueId)));
    if (head) epochs.set(queueId, Number(head.pa?.N ?? 0));
  }
  return epochs;
}

/** One ADD per counter item touched: a queue's total, and each hour and minute with hidden changes. */
function counterUpdates(
  base: DynamoBase,
  signed: Signed[],
  epochs: Map<string, number>,
): TransactWriteItem[] {
  const updates = new Map<string, { key: Item; adds: Map<string, number>; ttl?: number }>();
  const add = (key: Item, attribute: string, delta: number, ttl?: number) => {
    const id = keyString(key);
    const entry = updates.get(id) ?? { key, adds: new Map<string, number>(), ...(ttl ? { ttl } : {}) };
    entry.adds.set(attribute, (entry.adds.get(attribute) ?? 0) + delta);
    updates.set(id, entry);
  };
  for (const { c, sign } of signed) {
    const epoch = epochs.get(c.queueId);
    // Older queues have no counters; purged messages left the counts when the purge happened.
    if (epoch === undefined || c.sentAt <= epoch) continue;
    add(totalKey(c.queueId, epoch), 'n', sign);
    if (!c.hidden) continue;
    const b = bucketOf(c.hidden.visibleAt);
    const ttl = Math.ceil(b.second + keepPassedMs / 1000 + 3600);
    add(hourKey(c.queueId, epoch, b.hour), c.hidden.kind, sign, ttl);
    add(hourKey(c.queueId, epoch, b.hour), `${c.hidden.kind}${b.minuteOfHour}`, sign, ttl);
    add(minuteKey(c.queueId, epoch, b.minute), `${c.hidden.kind}${b.secondOfMinute}`, sign, ttl);
  }
  const actions: TransactWriteItem[] = [];
  for (const { key, adds, ttl } of updates.values()) {
    const changed = [...adds].filter(([, delta]) => delta !== 0);
    if (changed.length === 0) continue;
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {};
    const clauses = changed.map(([attribute, delta], i) => {
      names[`#a${i}`] = attribute;
      values[`:a${i}`] = N(delta);
      return `#a${i} :a${i}`;
    });
    let expression = `ADD ${clauses.join(', ')}`;
    if (ttl) {
      names['#ttl'] = 'ttl';
      values[':ttl'] = N(ttl);
      expression += ' SET #ttl = :ttl';
    }
    actions.push({
      Update: {
        TableName: base.messages,
        Key: key,
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  return actions;
}

function checkpointUpdate(
  base: DynamoBase,
  checkpoint: { key: Item; after?: string; upTo: string },
): TransactWriteItem {
  return {
    Update: {
      TableName: base.messages,
      Key: checkpoint.key,
      UpdateExpression: 'SET q = :upTo',
      ConditionExpression: checkpoint.after === undefined ? 'attribute_not_exists(q)' : 'q = :after',
      ExpressionAttributeValues: {
        ':upTo': { S: checkpoint.upTo },
        ...(checkpoint.after === undefined ? {} : { ':after': { S: checkpoint.after } }),
      },
    },
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
