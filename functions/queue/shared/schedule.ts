import { invalidParameter } from '../errors';
import type { OutgoingMessage, QueueRecord } from '../model';
import { integerInRange } from '../validation';

/**
 * Scheduled delivery: when a message sent now becomes deliverable. A schedule is only a
 * `visibleAt` in the future, set when the message is written (the same single write as any
 * send), so no timer or poll exists per message: a standard queue's ready index already sorts
 * by `visibleAt`, and a FIFO queue's scheduled messages wait in a schedule partition of the index
 * sorted the same way until they join their group (fifo/schedule.ts).
 *
 * A sender schedules with `deliverAt` (REST), the message attribute `dq.DeliverAt` (any dialect:
 * SQS clients have no other place for it; the attribute stays on the message, so a receiver sees
 * when it was due), or a `delaySeconds` beyond SQS's 900 (REST: the SQS dialect keeps 0..900).
 * Never two of them. A time in the past delivers at once; one past the queue's retention would
 * expire before its delivery and is refused.
 */
export const deliverAtAttribute = 'dq.DeliverAt';

/** An instant with a date, a time and a zone (Z or an offset): a local time is ambiguous. */
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** When the message becomes deliverable (its visibleAt). */
export function scheduleOf(queue: QueueRecord, message: OutgoingMessage, now: number, prefix = ''): number {
  const attribute = message.attributes?.[deliverAtAttribute];
  const given = [
    message.deliverAt !== undefined && 'deliverAt',
    attribute && `attributes.${deliverAtAttribute}`,
    message.delaySeconds !== undefined && 'delaySeconds',
  ].filter(Boolean);
  if (given.length > 1) {
    throw invalidParameter(
      `${prefix}${given[1]}`,
      `${given[0]} and ${given[1]}`,
      `absent when ${given[0]} is given`,
    );
  }
  const limit = queue.retentionSeconds;
  if (message.delaySeconds !== undefined) {
    return now + integerInRange(`${prefix}delaySeconds`, message.delaySeconds, { min: 0, max: limit }) * 1000;
  }
  const field = `${prefix}${given[0]}`;
  if (attribute && attribute.dataType !== 'String')
    throw invalidParameter(field, attribute.dataType, 'String');
  const text = message.deliverAt ?? attribute?.stringValue;
  if (text === undefined) return now + queue.delaySeconds * 1000;
  const at = typeof text === 'string' && instantPattern.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw invalidParameter(field, text, 'an ISO 8601 instant with a zone');
  if (at - now > limit * 1000) {
    throw invalidParameter(
      field,
      text,
      `at most ${limit.toLocaleString('en-US')} seconds ahead (the queue's retentionSeconds)`,
    );
  }
  return Math.max(at, now);
}
