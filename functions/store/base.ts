import {
  type CancellationReason,
  type ConsumedCapacity,
  type DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { StoredMessage } from '../queue/model';
import type { BodyStore } from '../queue/ports/body-store';
import { getAll, keyString, writeAll } from './batch';
import { type CapacityReport, isConditionCancellation, isTransactionConflict, runCall } from './calls';
import {
  bodyInObjectStore,
  type Item,
  type MessageItems,
  messageIdOf,
  messageToItems,
  partCount,
  partKey,
} from './items';
import { translateSdkError } from './sdk-errors';
import type { TableNames } from './table-layout';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tables: TableNames;
  /** Called with the capacity each call consumed; turns on ReturnConsumedCapacity. */
  onConsumed?: CapacityReport;
  /** Where bodies above its threshold go (deployed: S3); without it every body stays in DynamoDB. */
  bodies?: BodyStore;
}

export type TransactResult = { ok: true } | { ok: false; reasons: CancellationReason[] };

/**
 * The small base every DynamoDB adapter stands on: it runs each call (capacity reporting, SDK
 * errors translated into queue errors, condition failures passed through for the caller to
 * read), runs transactions, batch reads and writes with their retries, and reads the body parts
 * of large messages back. Adapters add their keys and named expressions (conditions.ts).
 */
export class DynamoBase {
  readonly client: DynamoDBClient;
  /** The messages table: queues, messages, body parts, FIFO groups, statistics, access keys. */
  readonly messages: string;
  /** The dead-letters table: browse records, move tasks, the sweep cursor. */
  readonly deadLetters: string;
  private readonly report: CapacityReport | undefined;
  /** The body store of large bodies, if any (large-bodies: see ports/body-store.ts). */
  readonly bodies: BodyStore | undefined;

  constructor(options: {
    client: DynamoDBClient;
    tables: { messages: string; deadLetters?: string };
    onConsumed?: CapacityReport;
    bodies?: BodyStore;
  }) {
    this.client = options.client;
    this.messages = options.tables.messages;
    this.deadLetters = options.tables.deadLetters ?? '';
    this.report = options.onConsumed;
    this.bodies = options.bodies;
  }

  /** A message's items, its body inline, in parts, or bound for the body store by its size. */
  toItems(message: StoredMessage): MessageItems {
    return messageToItems(message, this.bodies?.thresholdBytes);
  }

  /**
   * Writes the bodies bound for the body store, before their message items; fails if any fails
   * (a batch is then sent again whole). A body written for a message that is then not stored is
   * removed by the caller's deleteParts, or by the bucket's lifecycle rule.
   */
  async putObjects(built: (MessageItems & { queueId: string; id: string })[]): Promise<void> {
    await Promise.all(
      built.map((b) => b.object && this.bodies!.put({ queueId: b.queueId, messageId: b.id }, b.object)),
    );
  }

  /** Removes the body-store objects of these message items (those marked as stored there). */
  async deleteObjects(queueId: string, items: (Item | undefined)[]): Promise<void> {
    const stored = items.filter(bodyInObjectStore) as Item[];
    if (stored.length > 0) {
      await this.objectStore().delete(stored.map((item) => ({ queueId, messageId: messageIdOfItem(item) })));
    }
  }

  /** One DynamoDB call; `operation` names it in capacity reports and error messages. */
  run<O extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
    operation: string,
    send: (capacity: { ReturnConsumedCapacity?: 'INDEXES' }) => Promise<O>,
  ): Promise<O> {
    return runCall(this.report, operation, send);
  }

  /**
   * A transaction whose cancellation reasons are handed back (with the item that failed each
   * condition, where asked for) instead of thrown, since they say what to do next.
   */
  async transact(operation: string, actions: TransactWriteItem[]): Promise<TransactResult> {
    const out = await this.run(operation, async (capacity) => {
      try {
        return await this.client.send(new TransactWriteItemsCommand({ ...capacity, TransactItems: actions }));
      } catch (error) {
        const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
        if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons) throw error;
        return { cancelled: e.CancellationReasons, ConsumedCapacity: undefined };
      }
    });
    return 'cancelled' in out ? { ok: false, reasons: out.cancelled } : { ok: true };
  }

  /** One atomic write; false when a condition failed (someone else changed the items first). */
  async commit(operation: string, actions: TransactWriteItem[]): Promise<boolean> {
    try {
      await this.run(operation, (c) =>
        this.client.send(new TransactWriteItemsCommand({ ...c, TransactItems: actions })),
      );
      return true;
    } catch (error) {
      if (isConditionCancellation(error)) return false;
      throw error;
    }
  }

  /**
   * An idempotent atomic write (DynamoDB keeps a client request token for 10 minutes): false when
   * a condition failed; a conflict with a concurrent transaction on the same items is tried again.
   */
  async commitWithToken(operation: string, actions: TransactWriteItem[], token: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.run(operation, (c) =>
          this.client.send(
            new TransactWriteItemsCommand({ ...c, TransactItems: actions, ClientRequestToken: token }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionCancellation(error)) return false;
        if (attempt >= 5 || !isTransactionConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
      }
    }
  }

  /** Writes every request (retrying unprocessed ones); returns the keys that could not be written. */
  writeAll(operation: string, requests: WriteRequest[], table = this.messages): Promise<Set<string>> {
    const report = this.report;
    return writeAll(
      this.client,
      table,
      requests,
      report ? (c) => report(operation, c as ConsumedCapacity[]) : undefined,
    );
  }

  /** Reads every key, strongly consistent; missing items and tombstones are absent from the map. */
  getAll(keys: Item[], table = this.messages): Promise<Map<string, Item>> {
    return getAll(this.client, table, keys);
  }

  /**
   * The bodies of messages stored in parts (`p` > 0), by message id, in one batch read. With
   * `required`, a missing part is an error (a lease must not hand out half a body); otherwise it
   * reads as empty (a look at a message that is being deleted).
   */
  async readBodies(
    queueId: string,
    items: Item[],
    options: { required?: boolean } = {},
  ): Promise<Map<string, string>> {
    const stored = items.filter((item) => partCount(item) > 0);
    const bodies = await this.readObjects(queueId, items, options.required);
    if (stored.length === 0) return bodies;
    const keys = stored.flatMap((item) => partKeys(queueId, item));
    const found = await this.getAll(keys);
    for (const item of stored) {
      const chunks = partKeys(queueId, item).map((key) => found.get(keyString(key))?.d?.B);
      if (options.required && chunks.some((chunk) => chunk === undefined)) {
        throw translateSdkError(new Error('missing body part'), 'reading a message body');
      }
      bodies.set(
        messageIdOfItem(item),
        Buffer.concat(chunks.map((c) => c ?? new Uint8Array())).toString('utf8'),
      );
    }
    return bodies;
  }

  /** The bodies of items whose body is in the body store, read in parallel. */
  private async readObjects(
    queueId: string,
    items: Item[],
    required?: boolean,
  ): Promise<Map<string, string>> {
    const bodies = new Map<string, string>();
    await Promise.all(
      items.filter(bodyInObjectStore).map(async (item) => {
        const messageId = messageIdOfItem(item);
        const body = await this.objectStore().get({ queueId, messageId });
        if (required && !body) throw translateSdkError(new Error('missing body'), 'reading a message body');
        bodies.set(messageId, Buffer.from(body ?? []).toString('utf8'));
      }),
    );
    return bodies;
  }

  /** The body store, which items marked as stored there need (a runtime without one is misconfigured). */
  private objectStore(): BodyStore {
    if (!this.bodies) throw translateSdkError(new Error('no body store'), 'reaching the body store');
    return this.bodies;
  }

  /** The body of one message item: inline, or read back from its parts or the body store. */
  async readBody(
    queueId: string,
    item: Item,
    options: { required?: boolean } = {},
  ): Promise<string | undefined> {
    if (partCount(item) === 0 && !bodyInObjectStore(item)) return undefined;
    return (await this.readBodies(queueId, [item], options)).get(messageIdOfItem(item));
  }

  /**
   * Deletes the bodies of message items, parts or body-store objects; parts a failure leaves
   * behind expire with their TTL, objects with the bucket's lifecycle rule.
   */
  async deleteParts(operation: string, queueId: string, items: (Item | undefined)[]): Promise<void> {
    const deletions = items.flatMap((item) =>
      item ? partKeys(queueId, item).map((Key) => ({ DeleteRequest: { Key } })) : [],
    );
    await Promise.all([
      deletions.length > 0 ? this.writeAll(operation, deletions) : undefined,
      this.deleteObjects(queueId, items),
    ]);
  }
}

/** A message item's id: FIFO items carry it in `mi`, standard ones in their key. */
export const messageIdOfItem = (item: Item): string => item.mi?.S ?? messageIdOf(item.pk!.S!);

function partKeys(queueId: string, item: Item): Item[] {
  const messageId = messageIdOfItem(item);
  return Array.from({ length: partCount(item) }, (_, n) => partKey(queueId, messageId, n));
}

export const conditionFailed = (reason: CancellationReason | undefined) =>
  reason?.Code === 'ConditionalCheckFailed';
export const contended = (reasons: CancellationReason[]) =>
  reasons.some((reason) => reason.Code === 'TransactionConflict');
