import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './items';

/**
 * A queue's counters: items of the messages table that the messages table's own stream keeps up
 * to date (counter-apply.ts), so a count reads a few small items instead of the ready index.
 *
 *   pk `qc#<queue id>`
 *   sk `e`                      the epoch `pa`: the queue's last purge (0 before any). Messages sent
 *                               up to it are purged, so the stream leaves them out of every counter.
 *   sk `<pa>#n`                 `n`: live messages sent after the epoch. Written when the queue is
 *                               created or purged: a queue without it (created before counters
 *                               existed) is counted from its index, as before.
 *   sk `<pa>#h<hour>`           hidden messages whose visible-at falls in that hour: `f` in flight,
 *                               `d` delayed; per minute of the hour `f<m>` and `d<m>`.
 *   sk `<pa>#s<minute>`         the same per second of that minute: `f<s>` and `d<s>`.
 *
 * The keys sort `h` < `n` < `s`, so one Query from this hour's item to the total reads the hidden
 * totals and the total, and no minute item.
 *
 * Visible = n - hidden after now: the hours after this one (their totals), this hour's minutes
 * after this one, this minute's seconds after this one. A message's visible-at is taken to its
 * second, so a count may call a message visible up to a second before it becomes so.
 * A bucket is filled from a message image's own `v` and `s`, never from a clock, so the stream
 * takes out exactly what it put in: an image whose `v` is not after its send time (sent visible)
 * lies in no bucket at all. Hour and minute items expire (TTL) a day after their time has passed.
 */

const S = (value: string): AttributeValue => ({ S: value });

export const counterPartition = (queueId: string) => `qc#${queueId}`;
const epochKey = (epoch: number) => String(epoch).padStart(13, '0');

export const headKey = (queueId: string): Item => ({ pk: S(counterPartition(queueId)), sk: S('e') });
export const totalKey = (queueId: string, epoch: number): Item => ({
  pk: S(counterPartition(queueId)),
  sk: S(`${epochKey(epoch)}#n`),
});
export const hourKey = (queueId: string, epoch: number, hour: number): Item => ({
  pk: S(counterPartition(queueId)),
  sk: S(`${epochKey(epoch)}#h${String(hour).padStart(8, '0')}`),
});
export const minuteKey = (queueId: string, epoch: number, minute: number): Item => ({
  pk: S(counterPartition(queueId)),
  sk: S(`${epochKey(epoch)}#s${String(minute).padStart(10, '0')}`),
});

/** Where a visible-at (or now) lands: its second, and that second's minute and hour. */
export function bucketOf(visibleAt: number) {
  const second = Math.floor(visibleAt / 1000);
  return {
    second,
    minute: Math.floor(second / 60),
    hour: Math.floor(second / 3600),
    minuteOfHour: Math.floor((second % 3600) / 60),
    secondOfMinute: second % 60,
  };
}

/** What a message image adds to its queue's counters; undefined when the image is no live message. */
export interface Contribution {
  queueId: string;
  sentAt: number;
  /** In a bucket only when hidden when written: `f` in flight (received before), `d` delayed. */
  hidden?: { kind: 'f' | 'd'; visibleAt: number };
}

type Image = Record<string, { S?: string; N?: string }> | undefined;

/**
 * Live messages: a standard (or FIFO-scheduled) message item `m#<queue id>#<message id>` / `m`
 * still in the ready index (`g`: a tombstone has none), or a FIFO message `fm#<queue id>#<group>`.
 */
export function contributionOf(image: Image): Contribution | undefined {
  const pk = image?.pk?.S;
  if (!image || !pk || image.v?.N === undefined || image.s?.N === undefined) return undefined;
  const [prefix, queueId] = pk.split('#');
  if (!queueId) return undefined;
  const standard = prefix === 'm' && image.sk?.S === 'm' && image.g?.S !== undefined;
  if (!standard && prefix !== 'fm') return undefined;
  const sentAt = Number(image.s.N);
  const visibleAt = Number(image.v.N);
  const receiveCount = Number(image.rc?.N ?? 0);
  return visibleAt > sentAt
    ? { queueId, sentAt, hidden: { kind: receiveCount > 0 ? 'f' : 'd', visibleAt } }
    : { queueId, sentAt };
}
