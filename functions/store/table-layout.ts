/**
 * The shape of the tables, as plain data: the local host creates tables from it and the CDK
 * stack declares them from it, so both always agree on names, keys and indexes.
 *
 * messages table
 *   queue record   pk = `q`  sk = `<account>#<region>#<queue name>`
 *   message        pk = `m#<queue id>#<message id>`  sk = `m`   (small: lease state + inline body)
 *   body part      pk = `m#<queue id>#<message id>`  sk = `b#<n>` (large bodies, written once)
 *   ready index    g = `<queue id>#<shard>`, v = visibleAt (ms), projecting rc (receive count)
 *                  p (body part count) and x (expires at): receivers query `v <= now` per shard,
 *                  the sweeper filters on rc and x without reading message items; gi (group
 *                  id, standard queues' fair-queue tenant: functions/store/fairness-store.ts).
 */
export const messageAttributes = {
  partitionKey: 'pk',
  sortKey: 'sk',
  readyPartition: 'g',
  readySort: 'v',
  ttl: 'ttl',
} as const;

export const readyIndexName = 'ready';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

export interface TableLayout {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  ttlAttribute: string;
  indexes: {
    name: string;
    partitionKey: KeyAttribute;
    sortKey: KeyAttribute;
    /** Non-key attributes projected into the index. */
    projected: string[];
  }[];
  /**
   * A stream with both images: the queues' counters are kept from it (counter-apply.ts), and push
   * delivery wakes on inserts.
   */
  stream?: 'NEW_AND_OLD_IMAGES';
}

export const messagesTable: TableLayout = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'ttl',
  stream: 'NEW_AND_OLD_IMAGES',
  indexes: [
    {
      name: readyIndexName,
      partitionKey: { name: 'g', type: 'S' },
      sortKey: { name: 'v', type: 'N' },
      projected: ['rc', 'p', 'x', 'gi'],
    },
  ],
};

/** Dead letters (filled by the sweeper): pk = `d#<queue id>`, sk = `<dead-lettered at>#<message id>`. */
export const deadLettersTable: TableLayout = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'ttl',
  indexes: [],
};

export interface TableNames {
  messages: string;
  deadLetters: string;
}

export function tableNames(prefix = 'queue-'): TableNames {
  return { messages: `${prefix}messages`, deadLetters: `${prefix}dead-letters` };
}
