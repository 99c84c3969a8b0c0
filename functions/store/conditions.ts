import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { readyPartition } from './items';
import { readyIndexName } from './table-layout';

/**
 * Every condition, filter and update expression the adapters use, by name, so a reader sees the
 * rule and not the syntax (no adapter writes one inline). Message attribute names: v visibleAt,
 * x expiresAt, s sentAt, rc receive count, l lease token, lr last receive time (items.ts); FIFO
 * group and attempt records: fifo-items.ts, fifo-attempts.ts.
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
  /** The message is still in the queue (not a tombstone), whoever holds it. */
  stillQueued: 'attribute_exists(pk) AND attribute_not_exists(z)',
  /** Still in the queue, and the new end is within 12 h of its last receive. */
  stillQueuedWithinLimit: 'attribute_exists(pk) AND attribute_not_exists(z) AND lr >= :earliestReceive',
  /** The caller holds the current lease, it has not expired, and the new end is within 12 h of the receive. */
  holdsLiveLease: 'l = :token AND v > :now AND lr >= :earliestReceive',
  queueAbsent: 'attribute_not_exists(pk)',
  sameQueueIncarnation: 'attribute_exists(pk) AND id = :id',
  /**
   * A new item never overwrites one: a retried put finds its own first attempt (or the tombstone
   * it left when deleted since) and changes nothing.
   */
  itemAbsent: 'attribute_not_exists(pk)',
  itemExists: 'attribute_exists(pk)',
  /** Not leased, received or made visible since it was read (a tombstone has neither). */
  unchangedSinceRead: 'v = :v AND rc = :rc',
  /** A move task in the status it was read in (a cancellation meanwhile wins). */
  taskStatusIs: 'st = :expected',
} as const;

/** Filters on query results (they cost the read all the same, but keep the answer small). */
export const filters = {
  /** The sweeper's work: past retention, or (with a redrive policy) out of receives. */
  sweepable: (limited: boolean) => (limited ? 'x <= :now OR rc >= :max' : 'x <= :now'),
  /** Hidden messages that were received: in flight; the others are delayed. */
  everReceived: 'rc > :zero',
  /** FIFO groups whose oldest message's expiry hint has passed. */
  groupExpiring: 'x <= :now',
  /** Access keys not revoked. */
  activeKey: 'attribute_not_exists(revokedAt)',
} as const;

/**
 * The priorities a queue's messages used (priority-records.ts): a number set `pr` on the queue
 * record that only grows.
 */
/** Marks on a queue record that sends set (queue-records.ts updateQueue keeps them). */
export const queueMarkConditions = {
  notScheduling: 'attribute_not_exists(sch)',
  noGroupSends: 'attribute_not_exists(groupsSentAt)',
  groupSendsNoLater: '(attribute_not_exists(groupsSentAt) OR groupsSentAt <= :groupsSentAt)',
} as const;

export const priorityUpdates = {
  add: 'ADD pr :priorities',
  noneUsed: 'attribute_not_exists(pr)',
  sameCount: 'size(pr) = :priorityCount',
} as const;

/** A new lease end for the holder of the lease (standard message or FIFO group). */
export const setVisibility = 'SET v = :visibleAt';

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
  request: { token: string; now: number; visibleAt: number; anyLease?: boolean },
): 'gone' | 'stale' | 'changed' | 'notInFlight' | 'limit' {
  if (!old) return 'gone';
  if (request.anyLease) return Number(old.v?.N) === request.visibleAt ? 'changed' : 'limit';
  if (old.l?.S !== request.token) return 'stale';
  // A retry of a change that was applied but whose response was lost: already done.
  if (Number(old.v?.N) === request.visibleAt) return 'changed';
  if (Number(old.v?.N) <= request.now) return 'notInFlight';
  return 'limit';
}

/**
 * The rules of FIFO groups (attribute names in fifo-items.ts). A group is available when it is in the ready index and its
 * lease (if any) has ended; a lease is held by whoever has its token; an append follows the
 * group's last sequence number.
 */
export const groupConditions = {
  available: 'attribute_exists(g) AND v <= :now',
  holdsLease: 'l = :token',
  holdsLiveLease: 'l = :token AND v > :now AND lt >= :earliest',
  /** The group still has messages, and the new end is within 12 h of its last lease. */
  queuedWithinLimit: 'attribute_exists(g) AND lt >= :earliest',
  /** The message is still in the queue, whoever holds it. */
  stillQueued: 'attribute_exists(pk)',
  /** Nothing was appended since the group was seen empty under this lease. */
  emptySince: 'l = :token AND sn = :last',
  follows: (after: string | undefined) => (after === undefined ? 'attribute_not_exists(sn)' : 'sn = :after'),
  inReadyIndex: 'attribute_exists(g)',
  /** A deduplication id is free when never used or its 5-minute window has passed. */
  deduplicationFree: 'attribute_not_exists(pk) OR x <= :now',
  /** A message not received (or deleted) since it was read. */
  unchanged: 'rc = :rc',
  /** Nothing was appended since the group was read (a purge retires a group it emptied). */
  lastIs: 'sn = :last',
} as const;

export const groupUpdates = {
  /**
   * An append: the new last number, the ready-index entry, availability unless a lease holds
   * (`v` is then the lease end), and `x`, the expiry of the group's oldest message, which the
   * sweeper filters on (it is projected into the index), kept if already set.
   */
  append:
    'SET sn = :last, g = :g, v = if_not_exists(v, :visibleAt), x = if_not_exists(x, :expiresAt), #ttl = :ttl',
  /** The lease goes with its token, so a late ChangeMessageVisibility cannot revive it. */
  release: 'SET v = :at REMOVE l',
  releaseWithExpiry: 'SET v = :at, x = :expiresAt REMOVE l',
  retire: 'REMOVE g, v, l, x',
  lease: 'SET v = :leaseEnd, l = :token, lt = :now',
  /** Brings the sweeper's hint forward (a head delivered for the last time). */
  tidyAt: 'SET x = :at',
  setExpiry: 'SET x = :expiresAt',
} as const;

/**
 * ReceiveRequestAttemptId records (fifo-attempts.ts): a record is claimable when never claimed,
 * past its window, or (when replacing an abandoned claim) still the claim that was seen.
 */
export const attemptConditions = {
  claimable: (replacing: string | undefined): string => {
    const free = 'attribute_not_exists(pk) OR x <= :now';
    if (replacing === undefined) return free;
    // Records written before claims existed have no token.
    return replacing === '' ? `${free} OR attribute_not_exists(c)` : `${free} OR c = :seen`;
  },
  holdsClaim: 'c = :token',
} as const;

/** Access keys: revoking keeps the first revocation time. */
export const revokeKey = 'SET revokedAt = if_not_exists(revokedAt, :at)';
