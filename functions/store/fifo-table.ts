import {
  type CancellationReason,
  type ConsumedCapacity,
  type DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { getAll, keyString, writeAll } from './batch';
import { runCall } from './calls';
import { type Item, partKey } from './items';
import type { DynamoStoreOptions } from './queue-store';

/**
 * The calls the FIFO adapter makes, with capacity reporting and error translation: one DynamoDB
 * call each, plus transactions whose cancellation reasons are handed back (with the item that
 * failed each condition) instead of thrown, since they say what to do next.
 */
export type TransactResult = { ok: true } | { ok: false; reasons: CancellationReason[] };

export class FifoTable {
  readonly client: DynamoDBClient;
  readonly name: string;
  /** The dead-letters table, for the browse records of FIFO dead letters. */
  readonly deadLettersName: string;

  constructor(private readonly options: DynamoStoreOptions) {
    this.client = options.client;
    this.name = options.tables.messages;
    this.deadLettersName = options.tables.deadLetters;
  }

  run<O extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
    operation: string,
    send: (capacity: { ReturnConsumedCapacity?: 'INDEXES' }) => Promise<O>,
  ): Promise<O> {
    return runCall(this.options.onConsumed, operation, send);
  }

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

  writeAll(operation: string, requests: Parameters<typeof writeAll>[2]): Promise<Set<string>> {
    const report = this.options.onConsumed;
    return writeAll(
      this.client,
      this.name,
      requests,
      report ? (c) => report(operation, c as ConsumedCapacity[]) : undefined,
    );
  }

  /** The bodies of messages stored in parts, by message id (strongly consistent). */
  async readBodies(queueId: string, items: Item[]): Promise<Map<string, string>> {
    const keys = items.flatMap((item) =>
      Array.from({ length: Number(item.p?.N ?? 0) }, (_, n) => partKey(queueId, item.mi!.S!, n)),
    );
    const bodies = new Map<string, string>();
    if (keys.length === 0) return bodies;
    const found = await getAll(this.client, this.name, keys);
    for (const item of items) {
      const parts = Number(item.p?.N ?? 0);
      if (parts === 0) continue;
      const messageId = item.mi!.S!;
      const chunks = Array.from(
        { length: parts },
        (_, n) => found.get(keyString(partKey(queueId, messageId, n)))?.d?.B ?? new Uint8Array(),
      );
      bodies.set(messageId, Buffer.concat(chunks).toString('utf8'));
    }
    return bodies;
  }

  async deleteParts(queueId: string, items: Item[]): Promise<void> {
    const deletions = items.flatMap((item) =>
      Array.from({ length: Number(item.p?.N ?? 0) }, (_, n) => ({
        DeleteRequest: { Key: partKey(queueId, item.mi!.S!, n) },
      })),
    );
    // Parts left behind by a failure here carry the message's TTL and expire with it.
    if (deletions.length > 0) await this.writeAll('fifoDeleteParts', deletions);
  }
}

export const conditionFailed = (reason: CancellationReason | undefined) =>
  reason?.Code === 'ConditionalCheckFailed';
export const contended = (reasons: CancellationReason[]) =>
  reasons.some((reason) => reason.Code === 'TransactionConflict');
