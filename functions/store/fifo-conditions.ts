/**
 * The rules of FIFO groups as named expressions (attribute names in fifo-items.ts), so a reader
 * sees the rule and not the syntax. A group is available when it is in the ready index and its
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
} as const;
