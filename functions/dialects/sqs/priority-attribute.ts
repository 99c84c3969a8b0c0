import type { MessageAttributes, QueueRecord, StoredMessage } from '../../queue/model';
import { priorityOf, priorityRange } from '../../queue/shared/priority';
import { invalidValue } from './params';

/**
 * Message priorities for SQS clients, which have no parameter for them: the message attribute
 * `dq.Priority` (DataType Number, an integer from 0 to 9; 9 is received first). The attribute stays
 * on the message as sent, so the digests a client computes over its attributes still match; a
 * prioritised message sent through the REST API carries it too when an SQS client receives it.
 */
export const priorityAttribute = 'dq.Priority';

const reason = `${priorityAttribute} must be a Number message attribute with an integer value from ${priorityRange.min} to ${priorityRange.max}.`;

/** The priority a send asks for through the attribute, checked in SQS's words. */
export function priorityFromAttributes(
  queue: QueueRecord,
  attributes: MessageAttributes,
  parameter = 'MessageAttributes',
): { priority?: number } {
  const value = attributes[priorityAttribute];
  if (value === undefined) return {};
  const name = `${parameter}.${priorityAttribute}`;
  const text = value.stringValue;
  if (!/^Number(\..*)?$/.test(value.dataType) || text === undefined || !/^\d{1,2}$/.test(text)) {
    throw invalidValue(name, text ?? value.dataType, reason);
  }
  const priority = Number(text);
  if (priority < priorityRange.min || priority > priorityRange.max) throw invalidValue(name, text, reason);
  if (queue.fifo && priority !== 0) {
    throw invalidValue(
      name,
      text,
      'Priorities are for standard queues only: a FIFO queue delivers each message group in the order sent.',
    );
  }
  return { priority };
}

/** The attributes an SQS client receives: with the priority, when above 0, if not already there. */
export function withPriorityAttribute(message: StoredMessage): MessageAttributes {
  const priority = priorityOf(message);
  if (priority === 0 || message.attributes[priorityAttribute] !== undefined) return message.attributes;
  return {
    ...message.attributes,
    [priorityAttribute]: { dataType: 'Number', stringValue: String(priority) },
  };
}
