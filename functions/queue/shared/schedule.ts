import { describeGiven, invalidParameter, QueueError } from '../errors';
import type { OutgoingMessage, QueueRecord } from '../model';

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

export interface Schedule {
  /** When the message becomes deliverable. */
  visibleAt: number;
  /** An explicit time or delay was asked for and lies ahead (FIFO: it waits outside its group). */
  scheduled: boolean;
}

export function scheduleOf(queue: QueueRecord, message: OutgoingMessage, now: number, prefix = ''): Schedule {
  const attribute = message.attributes?.[deliverAtAttribute];
  const given = [
    message.deliverAt !== undefined && 'deliverAt',
    attribute !== undefined && `attributes.${deliverAtAttribute}`,
    message.delaySeconds !== undefined && 'delaySeconds',
  ].filter((name): name is string => name !== false);
  if (given.length > 1) {
    throw new QueueError(
      'InvalidParameterValue',
      `${prefix}${given[0]} and ${prefix}${given[1]} cannot both be given: choose one way to schedule the message`,
      { field: `${prefix}${given[1]}`, allowed: `absent when ${given[0]} is given` },
    );
  }
  const limitMs = queue.retentionSeconds * 1000;
  const limitText = `at most ${queue.retentionSeconds.toLocaleString('en-US')} seconds ahead (the queue's retentionSeconds)`;
  if (message.delaySeconds !== undefined) {
    const delay = message.delaySeconds;
    if (
      typeof delay !== 'number' ||
      !Number.isInteger(delay) ||
      delay < 0 ||
      delay > queue.retentionSeconds
    ) {
      throw invalidParameter(`${prefix}delaySeconds`, delay, `an integer from 0 to ${limitText}`);
    }
    return { visibleAt: now + delay * 1000, scheduled: delay > 0 };
  }
  let field: string;
  let text: unknown;
  if (message.deliverAt !== undefined) {
    field = `${prefix}deliverAt`;
    text = message.deliverAt;
  } else if (attribute !== undefined) {
    field = `${prefix}attributes.${deliverAtAttribute}`;
    if (attribute.dataType !== 'String') {
      throw invalidParameter(field, attribute.dataType, 'a String attribute (an ISO 8601 instant)');
    }
    text = attribute.stringValue;
  } else {
    return { visibleAt: now + queue.delaySeconds * 1000, scheduled: false };
  }
  const at = parseInstant(field, text);
  if (at - now > limitMs) {
    throw new QueueError(
      'InvalidParameterValue',
      `${field} must be ${limitText}, but ${String(text)} is ${Math.ceil((at - now) / 1000).toLocaleString('en-US')} seconds ahead`,
      { field, given: text, allowed: limitText },
    );
  }
  return at > now ? { visibleAt: at, scheduled: true } : { visibleAt: now, scheduled: false };
}

export function parseInstant(field: string, text: unknown): number {
  const at = typeof text === 'string' && instantPattern.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new QueueError(
      'InvalidParameterValue',
      `${field} must be an ISO 8601 instant with a zone, such as 2030-01-31T09:00:00Z, but ${describeGiven(text)} was given`,
      { field, given: text, allowed: 'an ISO 8601 instant with Z or an offset' },
    );
  }
  return at;
}

/** Whether a prepared message was scheduled ahead (not merely delayed by the queue's setting). */
export function scheduledAhead(message: OutgoingMessage, stored: { visibleAt: number; sentAt: number }) {
  const explicit =
    message.deliverAt !== undefined ||
    message.attributes?.[deliverAtAttribute] !== undefined ||
    (message.delaySeconds ?? 0) > 0;
  return explicit && stored.visibleAt > stored.sentAt;
}
