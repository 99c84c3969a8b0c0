import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { readyPartition } from './items';
import { readyIndexName } from './table-layout';

/**
 * The rules of a lease, as named DynamoDB condition expressions, so a reader sees the rule and
 * not the syntax. Attribute names: v visibleAt, x expiresAt, s sentAt, l lease token,
 * lr last receive time (see items.ts).
 */
export const conditions = {
  /** The message exists, is visible now and within retention, and was not purged (states.ts). */
  deliverable: (purged: boolean, limited: boolean) =>
    `attribute_exists(pk) AND v <= :now AND x > :now${purged ? ' AND s > :purgedAt' : ''}${limited ? ' AND rc < :max' : ''}`,
  /** The undeliverable rule of states.ts: past retention or sent before the purge mark. */
  undeliverable: (purged: boolean) => `x <= :now${purged ? ' OR s <= :purgedAt' : ''}`,
  /**
   * The caller holds the current lease (its token is the one last issued) and the message is not
   * yet a tombstone, which keeps the token of its delete (items.ts): a repeated delete must not
   * pass again, or it would count again and rewrite the tombstone.
   */
  holdsLease: 'l = :token AND attribute_not_exists(z)',
  /** The caller holds the current lease, it has not expired, and the new end is within 12 h of the receive. */
  holdsLiveLease: 'l = :token AND v > :now AND lr >= :earliestReceive',
  queueAbsent: 'attribute_not_exists(pk)',
  sameQueueIncarnation: 'attribute_exists(pk) AND id = :id',
} as const;

/** Takes a lease: new visibility, new token, one more receive, first receive kept. */
export const takeLease =
  'SET v = :visibleUntil, l = :token, rc = rc + :one, fr = if_not_exists(fr, :now), lr = :now';

/** The part of the ready index that is visible at `now` in one shard of a queue. */
export function visibleInShard(queueId: string, shard: number, now: number) {
  return {
    IndexName: readyIndexName,
    KeyConditionExpression: 'g = :g AND v <= :now',
    ExpressionAttributeValues: {
      ':g': { S: readyPartition(queueId, shard) },
      ':now': { N: String(now) },
    } as Record<string, AttributeValue>,
  };
}

/**
 * Why a visibility change's condition failed, told from the item as it was (ALL_OLD), for
 * standard messages and FIFO groups alike.
 */
export function visibilityFailure(
  old: Record<string, AttributeValue> | undefined,
  request: { token: string; now: number; visibleAt: number },
): 'gone' | 'stale' | 'changed' | 'notInFlight' | 'limit' {
  if (!old) return 'gone';
  if (old.l?.S !== request.token) return 'stale';
  // A retry of a change that was applied but whose response was lost: already done.
  if (Number(old.v?.N) === request.visibleAt) return 'changed';
  if (Number(old.v?.N) <= request.now) return 'notInFlight';
  return 'limit';
}
