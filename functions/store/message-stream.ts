/**
 * The messages table's stream, as the dispatcher reads it: which queues just got a message that
 * can be received now. The key layout is the store's (table-layout.ts, fifo-items.ts), so the
 * filter the stack puts on the event source mapping lives here too.
 *
 *   standard message  pk `m#<queue id>#<message id>`   sk `m`   v (visible at, ms)
 *   FIFO message      pk `fm#<queue id>#<group id>`    sk <sequence number>
 */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: {
    Keys?: Record<string, { S?: string }>;
    NewImage?: Record<string, { S?: string; N?: string }>;
  };
}

/**
 * Lambda event filters (any one matches): inserts of message items only. Leases, deletes, body
 * parts, statistics and everything else the table holds never invoke the dispatcher.
 */
export const newMessageFilters = [
  { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'm#' }] }, sk: { S: ['m'] } } } },
  { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'fm#' }] } } } },
];

/**
 * Lambda event filters of the counter function: every change of a message item (a standard or
 * FIFO-scheduled message `m#...`/`m`, a FIFO message `fm#...`); body parts, counters, queue
 * records and everything else the table holds never invoke it.
 */
export const messageChangeFilters = [
  { dynamodb: { Keys: { pk: { S: [{ prefix: 'm#' }] }, sk: { S: ['m'] } } } },
  { dynamodb: { Keys: { pk: { S: [{ prefix: 'fm#' }] } } } },
];

/**
 * The queues (by id) of inserted messages visible by `now` (a delayed or scheduled message is
 * left to the dispatcher's scheduled pass, which finds it once it is due).
 */
export function queuesWithNewMessages(records: StreamRecord[], now: number): Set<string> {
  const queues = new Set<string>();
  for (const record of records) {
    if (record.eventName !== 'INSERT') continue;
    const pk = record.dynamodb?.Keys?.pk?.S ?? '';
    const sk = record.dynamodb?.Keys?.sk?.S ?? '';
    const [kind, queueId] = pk.split('#');
    if (!queueId || !((kind === 'm' && sk === 'm') || kind === 'fm')) continue;
    const visibleAt = Number(record.dynamodb?.NewImage?.v?.N ?? 0);
    if (visibleAt <= now) queues.add(queueId);
  }
  return queues;
}
