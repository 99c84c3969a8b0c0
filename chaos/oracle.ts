import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../functions/queue/clock';

/**
 * A witness at the storage boundary: it sees every DynamoDB call the service makes that was
 * APPLIED (including those whose response a fault then dropped, which the service itself never
 * learns about) and records what happened to each message item: written, leased, removed.
 *
 * It reads only what DynamoDB returned (a lease's `ReturnValues: ALL_NEW` item, a delete's
 * `ALL_OLD` item), so its lease intervals are exact: start = the lease's `lr`, end = its `v`.
 * Message items are recognised by their key (sort key `m`, partition `m#<queue id>#<message id>`).
 */
export interface LeaseGrant {
  key: string;
  queueId: string;
  messageId: string;
  token: string;
  start: number;
  end: number;
  receiveCount: number;
  expiresAt: number;
  sentAt: number;
  /** When the call returned (service clock). */
  at: number;
}

export interface ItemWrite {
  key: string;
  queueId: string;
  messageId: string;
  kind: 'put' | 'remove';
  /** What wrote it: `delete` (a receipt handle's conditional delete), `removeUndeliverable`, `batch`, `transaction`. */
  via: 'delete' | 'removeUndeliverable' | 'batch' | 'transaction';
  /** The lease token a conditional delete named. */
  token?: string;
  /** True when DynamoDB confirmed the item existed (a returned old item or a condition). */
  certain: boolean;
  at: number;
}

type Item = Record<string, AttributeValue>;

export class StorageOracle {
  readonly leases: LeaseGrant[] = [];
  readonly writes: ItemWrite[] = [];

  constructor(private readonly clock: Clock) {}

  /** Adds the witness innermost, so it sees exactly what DynamoDB answered to each attempt. */
  install(client: DynamoDBClient): DynamoDBClient {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const command = (context.commandName ?? '').replace(/Command$/, '');
        this.observe(
          command,
          args.input as Record<string, unknown>,
          result.output as unknown as Record<string, unknown>,
        );
        return result;
      },
      { step: 'finalizeRequest', name: 'chaosStorageOracle', priority: 'low' },
    );
    return client;
  }

  leasesByKey(): Map<string, LeaseGrant[]> {
    return groupBy(this.leases, (l) => l.key);
  }

  writesByKey(): Map<string, ItemWrite[]> {
    return groupBy(this.writes, (w) => w.key);
  }

  leaseByToken(): Map<string, LeaseGrant> {
    return new Map(this.leases.map((l) => [l.token, l]));
  }

  private observe(command: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    const at = this.clock.now();
    switch (command) {
      case 'UpdateItem':
        this.observeUpdate(input, output, at);
        return;
      case 'DeleteItem': {
        const old = output.Attributes as Item | undefined;
        const key = messageKeyOf(input.Key as Item);
        if (!key || !old) return;
        const token = (input.ExpressionAttributeValues as Item | undefined)?.[':token']?.S;
        this.writes.push({
          ...key,
          kind: 'remove',
          via: token ? 'delete' : 'removeUndeliverable',
          ...(token ? { token } : {}),
          certain: true,
          at,
        });
        return;
      }
      case 'BatchWriteItem':
        this.observeBatch(input, output, at);
        return;
      case 'TransactWriteItems':
        this.observeTransaction(input, at);
        return;
    }
  }

  private observeUpdate(input: Record<string, unknown>, output: Record<string, unknown>, at: number): void {
    const item = output.Attributes as Item | undefined;
    const key = messageKeyOf(input.Key as Item);
    if (key && item && isTombstoneUpdate(input)) {
      // A delete by receipt handle leaves a tombstone; a retry that finds one removed nothing.
      if (item.z !== undefined) return;
      const token = (input.ExpressionAttributeValues as Item | undefined)?.[':token']?.S;
      this.writes.push({
        ...key,
        kind: 'remove',
        via: 'delete',
        ...(token ? { token } : {}),
        certain: true,
        at,
      });
      return;
    }
    // Only a lease returns the whole new item: that is what marks it as a lease.
    if (!key || !item || input.ReturnValues !== 'ALL_NEW' || item.l?.S === undefined) return;
    this.leases.push({
      ...key,
      token: item.l.S,
      start: Number(item.lr?.N),
      end: Number(item.v?.N),
      receiveCount: Number(item.rc?.N),
      expiresAt: Number(item.x?.N),
      sentAt: Number(item.s?.N),
      at,
    });
  }

  private observeBatch(input: Record<string, unknown>, output: Record<string, unknown>, at: number): void {
    const requested = input.RequestItems as Record<string, WriteRequest[]>;
    const unprocessed = (output.UnprocessedItems ?? {}) as Record<string, WriteRequest[]>;
    for (const [table, requests] of Object.entries(requested)) {
      const skipped = new Set((unprocessed[table] ?? []).map(requestKey));
      for (const request of requests) {
        if (skipped.has(requestKey(request))) continue;
        const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
        const key = item ? messageKeyOf(item) : undefined;
        if (!key) continue;
        const kind = request.PutRequest ? 'put' : 'remove';
        this.writes.push({ ...key, kind, via: 'batch', certain: kind === 'put', at });
      }
    }
  }

  private observeTransaction(input: Record<string, unknown>, at: number): void {
    for (const action of (input.TransactItems ?? []) as TransactAction[]) {
      if (action.Put) {
        const key = messageKeyOf(action.Put.Item);
        if (key) this.writes.push({ ...key, kind: 'put', via: 'transaction', certain: true, at });
      }
      const removal =
        action.Delete ?? (action.Update && isTombstoneUpdate(action.Update) ? action.Update : undefined);
      if (removal) {
        const key = messageKeyOf(removal.Key);
        const conditional = removal.ConditionExpression !== undefined;
        if (key) this.writes.push({ ...key, kind: 'remove', via: 'transaction', certain: conditional, at });
      }
    }
  }
}

interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}

interface TransactAction {
  Put?: { Item: Item };
  Delete?: { Key: Item; ConditionExpression?: string };
  Update?: { Key: Item; ConditionExpression?: string; UpdateExpression?: string };
}

/** An update that turns a message item into a deleted message's tombstone (store/items.ts). */
const isTombstoneUpdate = (input: { UpdateExpression?: unknown }) =>
  typeof input.UpdateExpression === 'string' && input.UpdateExpression.startsWith('SET z = ');

const requestKey = (request: WriteRequest) => {
  const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
  return `${request.PutRequest ? 'put' : 'delete'}|${item?.pk?.S}|${item?.sk?.S}`;
};

/** The queue and message of a message item's key; undefined for any other item. */
export function messageKeyOf(
  item: Item | undefined,
): { key: string; queueId: string; messageId: string } | undefined {
  const pk = item?.pk?.S;
  if (item?.sk?.S !== 'm' || !pk?.startsWith('m#')) return undefined;
  const [, queueId = '', messageId = ''] = pk.split('#');
  return { key: pk, queueId, messageId };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
