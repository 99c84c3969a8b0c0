import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { QueueRecord, QueueRef, StoredMessage } from '../queue/model';

/**
 * How queue records and messages map to DynamoDB items. Message attribute names are one or two
 * letters because every byte of a name is billed on every write of the item.
 */
export type Item = Record<string, AttributeValue>;

/**
 * Every queue record lives in one partition, sorted by account, region and name: listing by
 * prefix is a range query, and the sweeper walks all queues without a scan.
 */
export const queuesPartition = 'q';
export const queueSortKey = (account: string, region: string, name: string) => `${account}#${region}#${name}`;
export const queueKey = (ref: QueueRef): Item => ({
  pk: { S: queuesPartition },
  sk: { S: queueSortKey(ref.account, ref.region, ref.name) },
});

export const messagePartition = (queueId: string, messageId: string) => `m#${queueId}#${messageId}`;
export const messageKey = (queueId: string, messageId: string): Item => ({
  pk: { S: messagePartition(queueId, messageId) },
  sk: { S: 'm' },
});
export const partKey = (queueId: string, messageId: string, part: number): Item => ({
  pk: { S: messagePartition(queueId, messageId) },
  sk: { S: `b#${part}` },
});
export const readyPartition = (queueId: string, shard: number) => `${queueId}#${shard}`;

/** Message id from a message partition key `m#<queue id>#<message id>`. */
export function messageIdOf(pk: string): string {
  return pk.slice(pk.lastIndexOf('#') + 1);
}

const num = (n: number): AttributeValue => ({ N: String(n) });
const str = (s: string): AttributeValue => ({ S: s });
const readNum = (value: AttributeValue | undefined): number | undefined =>
  value?.N === undefined ? undefined : Number(value.N);

/**
 * Bodies up to this many bytes (with the rest of the item) stay inline in the message item: a
 * lease write then costs at most 2 write units. Larger bodies move to part items written once,
 * so a lease write on a 200 KB message costs 1 unit, like a tiny one.
 */
export const inlineItemBytes = 2_048;
/** Body bytes per part item (a DynamoDB item holds at most 400 KB). */
export const partBytes = 300_000;

export interface MessageItems {
  message: Item;
  parts: Item[];
}

export function messageToItems(m: StoredMessage): MessageItems {
  const attributes = Object.keys(m.attributes).length > 0 ? JSON.stringify(m.attributes) : undefined;
  const item: Item = {
    ...messageKey(m.queueId, m.id),
    g: str(readyPartition(m.queueId, m.shard)),
    v: num(m.visibleAt),
    x: num(m.expiresAt),
    ttl: num(Math.ceil(m.expiresAt / 1000)),
    s: num(m.sentAt),
    rc: num(m.receiveCount),
    si: str(m.senderId),
  };
  if (attributes) item.a = str(attributes);
  if (m.traceHeader) item.th = str(m.traceHeader);
  if (m.deadLetter) item.dl = str(JSON.stringify(m.deadLetter));
  if (m.groupId !== undefined) item.gi = str(m.groupId);
  const bodyBytes = Buffer.byteLength(m.body, 'utf8');
  const estimated = 160 + bodyBytes + (attributes ? Buffer.byteLength(attributes) : 0) + m.senderId.length;
  if (estimated <= inlineItemBytes) {
    item.b = str(m.body);
    return { message: item, parts: [] };
  }
  const bytes = Buffer.from(m.body, 'utf8');
  const parts: Item[] = [];
  for (let offset = 0, n = 0; offset < bytes.length; offset += partBytes, n++) {
    parts.push({
      ...partKey(m.queueId, m.id, n),
      d: { B: bytes.subarray(offset, offset + partBytes) },
      ttl: item.ttl!,
    });
  }
  item.p = num(parts.length);
  return { message: item, parts };
}

/** A message item back to a message; `body` is filled from parts by the caller when `p` is set. */
export function itemToMessage(item: Item, body?: string): StoredMessage {
  const pk = item.pk!.S!;
  const [, queueId = '', id = ''] = pk.split('#');
  const g = item.g!.S!;
  const message: StoredMessage = {
    id,
    queueId,
    shard: Number(g.slice(g.lastIndexOf('#') + 1)),
    body: body ?? item.b?.S ?? '',
    attributes: item.a?.S ? JSON.parse(item.a.S) : {},
    senderId: item.si?.S ?? '',
    sentAt: readNum(item.s)!,
    visibleAt: readNum(item.v)!,
    expiresAt: readNum(item.x)!,
    receiveCount: readNum(item.rc) ?? 0,
  };
  if (item.th?.S) message.traceHeader = item.th.S;
  if (item.dl?.S) message.deadLetter = JSON.parse(item.dl.S);
  if (item.gi?.S) message.groupId = item.gi.S;
  const first = readNum(item.fr);
  if (first !== undefined) message.firstReceivedAt = first;
  const last = readNum(item.lr);
  if (last !== undefined) message.lastReceivedAt = last;
  return message;
}

export const partCount = (item: Item | undefined): number => readNum(item?.p) ?? 0;

/**
 * Deleting a message leaves a tombstone in place of its item rather than removing it: the key, the
 * lease token of the delete (so a repeated delete with the same handle is told apart from a stale
 * one: it succeeds, changing nothing), `z` (when it was deleted) and a short TTL; no index key, no body. A send whose PutItem was applied, whose
 * response was lost, and which the SDK retries after the message was received and deleted, then
 * finds the tombstone (`attribute_not_exists(pk)` fails) and counts as already sent, instead of
 * writing the message a second time. It costs what a DeleteItem costs: the write units of the old
 * item on the table, one on the index (the entry is removed).
 */
export const isTombstone = (item: Item | undefined): boolean => item?.z !== undefined;

/**
 * How long a tombstone stays: well past the longest a retried PutItem can arrive (3 SDK attempts
 * with 5 s request timeouts and backoff, inside a function that runs at most 29 s). DynamoDB TTL
 * removes it later for free; DynamoDB Local never runs TTL, where tombstones stay, like the items
 * of deleted queues.
 */
export const tombstoneSeconds = 15 * 60;

/**
 * The update that turns a message item into its tombstone, to combine with a condition; it drops
 * everything but the key, the lease token and the number of body parts (`p`: an SDK retry of a
 * delete whose response was lost must still find which parts to remove). `deletedAt` is wall-clock time, not the queue's
 * clock: DynamoDB's TTL and the SDK's retries run on it. `deleteId`, when given, names the call
 * that wrote the tombstone (`zi`), so an SDK retry of that call can recognise its own work.
 */
export function tombstoneUpdate(deletedAt: number, deleteId?: string) {
  const named = deleteId !== undefined;
  return {
    UpdateExpression: `SET z = :deletedAt, #ttl = :ttl${named ? ', zi = :deleteId' : ''} REMOVE g, v, x, s, rc, si, b, a, th, dl, gi, fr, lr`,
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    values: {
      ':deletedAt': num(deletedAt),
      ':ttl': num(Math.ceil(deletedAt / 1000) + tombstoneSeconds),
      ...(named ? { ':deleteId': str(deleteId) } : {}),
    } as Item,
  };
}

export function queueToItem(q: QueueRecord): Item {
  const item: Item = {
    ...queueKey(q.ref),
    id: str(q.id),
    shardCount: num(q.shardCount),
    visibilityTimeoutSeconds: num(q.visibilityTimeoutSeconds),
    retentionSeconds: num(q.retentionSeconds),
    delaySeconds: num(q.delaySeconds),
    maxMessageBytes: num(q.maxMessageBytes),
    receiveWaitSeconds: num(q.receiveWaitSeconds),
    createdAt: num(q.createdAt),
    updatedAt: num(q.updatedAt),
    tags: str(JSON.stringify(q.tags)),
    extraAttributes: str(JSON.stringify(q.extraAttributes)),
  };
  if (q.maxReceiveCount !== undefined) item.maxReceiveCount = num(q.maxReceiveCount);
  if (q.deadLetterQueue !== undefined) item.deadLetterQueue = str(q.deadLetterQueue);
  if (q.purgedAt !== undefined) item.purgedAt = num(q.purgedAt);
  if (q.purgePending !== undefined) item.purgePending = num(q.purgePending);
  if (q.purgeCursor !== undefined) item.purgeCursor = str(q.purgeCursor);
  if (q.priorities !== undefined && q.priorities.length > 0) item.pr = { NS: q.priorities.map(String) };
  if (q.groupsSentAt !== undefined) item.groupsSentAt = num(q.groupsSentAt);
  if (q.fifo) item.fifo = { BOOL: true };
  if (q.scheduling) item.sch = { BOOL: true };
  if (q.contentBasedDeduplication !== undefined) {
    item.contentBasedDeduplication = { BOOL: q.contentBasedDeduplication };
  }
  if (q.deduplicationScope !== undefined) item.deduplicationScope = str(q.deduplicationScope);
  if (q.fifoThroughputLimit !== undefined) item.fifoThroughputLimit = str(q.fifoThroughputLimit);
  return item;
}

export function itemToQueue(item: Item): QueueRecord {
  const [account = '', region = '', name = ''] = item.sk!.S!.split('#');
  const record: QueueRecord = {
    ref: { account, region, name },
    id: item.id!.S!,
    shardCount: readNum(item.shardCount)!,
    visibilityTimeoutSeconds: readNum(item.visibilityTimeoutSeconds)!,
    retentionSeconds: readNum(item.retentionSeconds)!,
    delaySeconds: readNum(item.delaySeconds)!,
    maxMessageBytes: readNum(item.maxMessageBytes)!,
    receiveWaitSeconds: readNum(item.receiveWaitSeconds)!,
    createdAt: readNum(item.createdAt)!,
    updatedAt: readNum(item.updatedAt)!,
    tags: JSON.parse(item.tags?.S ?? '{}'),
    extraAttributes: JSON.parse(item.extraAttributes?.S ?? '{}'),
  };
  const maxReceiveCount = readNum(item.maxReceiveCount);
  if (maxReceiveCount !== undefined) record.maxReceiveCount = maxReceiveCount;
  if (item.deadLetterQueue?.S) record.deadLetterQueue = item.deadLetterQueue.S;
  const purgedAt = readNum(item.purgedAt);
  if (purgedAt !== undefined) record.purgedAt = purgedAt;
  const purgePending = readNum(item.purgePending);
  if (purgePending !== undefined) record.purgePending = purgePending;
  if (item.purgeCursor?.S) record.purgeCursor = item.purgeCursor.S;
  if (item.pr?.NS) record.priorities = item.pr.NS.map(Number).sort((a, b) => a - b);
  const groupsSentAt = readNum(item.groupsSentAt);
  if (groupsSentAt !== undefined) record.groupsSentAt = groupsSentAt;
  if (item.fifo?.BOOL) record.fifo = true;
  if (item.sch?.BOOL) record.scheduling = true;
  if (item.contentBasedDeduplication?.BOOL !== undefined) {
    record.contentBasedDeduplication = item.contentBasedDeduplication.BOOL;
  }
  const scope = item.deduplicationScope?.S;
  if (scope === 'queue' || scope === 'messageGroup') record.deduplicationScope = scope;
  const throughput = item.fifoThroughputLimit?.S;
  if (throughput === 'perQueue' || throughput === 'perMessageGroupId')
    record.fifoThroughputLimit = throughput;
  return record;
}
