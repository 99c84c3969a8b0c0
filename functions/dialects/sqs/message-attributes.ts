import { QueueError } from '../../queue/errors';
import type { MessageAttributes, ReceivedMessage } from '../../queue/model';
import { type ActionInput, invalidValue, isObject } from './params';

/**
 * Message attributes between SQS's shape ({DataType, StringValue, BinaryValue}) and the core's,
 * the selection rules of ReceiveMessage, and the system attributes SQS reports.
 */
export function messageAttributesFromSqs(value: unknown, parameter = 'MessageAttributes'): MessageAttributes {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalidValue(parameter, value, 'must be a map of attribute names to values.');
  const attributes: MessageAttributes = {};
  for (const [name, raw] of Object.entries(value)) {
    if (!isObject(raw)) throw invalidValue(`${parameter}.${name}`, raw, 'must be a message attribute value.');
    if (raw.StringListValues !== undefined || raw.BinaryListValues !== undefined) {
      throw new QueueError(
        'UnsupportedOperation',
        `Message attribute ${name}: StringListValues and BinaryListValues are reserved by SQS and not implemented.`,
      );
    }
    const { DataType, StringValue, BinaryValue } = raw;
    if (typeof DataType !== 'string' || DataType === '') {
      throw new QueueError(
        'InvalidParameterValue',
        `The message attribute '${name}' must contain a non-empty attribute type.`,
        {
          field: `${parameter}.${name}.DataType`,
        },
      );
    }
    if (!/^(String|Number|Binary)(\..*)?$/.test(DataType)) {
      throw new QueueError(
        'InvalidParameterValue',
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
        { field: `${parameter}.${name}.DataType`, given: DataType },
      );
    }
    attributes[name] = {
      dataType: DataType,
      ...(StringValue === undefined ? {} : { stringValue: StringValue as string }),
      ...(BinaryValue === undefined
        ? {}
        : { binaryValue: base64(BinaryValue, `${parameter}.${name}.BinaryValue`) }),
    };
  }
  return attributes;
}

function base64(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}$/.test(value)) {
    throw invalidValue(parameter, value, 'must be base64-encoded bytes.');
  }
  return value.replace(/\s/g, '');
}

export function messageAttributesToSqs(attributes: MessageAttributes): Record<string, ActionInput> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.dataType,
        ...(value.stringValue === undefined ? {} : { StringValue: value.stringValue }),
        ...(value.binaryValue === undefined ? {} : { BinaryValue: value.binaryValue }),
      },
    ]),
  );
}

/**
 * ReceiveMessage's MessageAttributeNames: exact names, `<prefix>.*`, and `All` or `.*` for every
 * one. The prefix is what precedes `.*`, dot excluded: SQS answers `Hel.*` with both `Hello` and
 * `Help.Me` (recorded against AWS in LocalStack's snapshot tests; moto agrees).
 */
export function selectMessageAttributes(attributes: MessageAttributes, names: string[]): MessageAttributes {
  if (names.length === 0) return {};
  const everything = names.some((name) => name === 'All' || name === '.*');
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -2));
  return Object.fromEntries(
    Object.entries(attributes).filter(
      ([name]) => everything || names.includes(name) || prefixes.some((prefix) => name.startsWith(prefix)),
    ),
  );
}

/** System attributes a message can carry; the redrive one is accepted and absent for now. */
const systemAttributeNames = new Set([
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
]);

export function checkSystemAttributeNames(names: string[], parameter: string): Set<string> {
  for (const name of names) {
    if (!systemAttributeNames.has(name)) {
      throw new QueueError('InvalidAttributeName', `Unknown Attribute ${name} in ${parameter}.`, {
        field: parameter,
        given: name,
      });
    }
  }
  return new Set(names);
}

export function systemAttributes(message: ReceivedMessage, names: Set<string>): Record<string, string> {
  const all: Record<string, string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(
      message.firstReceivedAt ?? message.lastReceivedAt ?? message.sentAt,
    ),
    AWSTraceHeader: message.traceHeader,
    MessageGroupId: message.groupId,
    MessageDeduplicationId: message.deduplicationId,
    SequenceNumber: message.sequenceNumber,
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) {
    if (value !== undefined && (names.has('All') || names.has(name))) out[name] = value;
  }
  return out;
}

/** SendMessage's MessageSystemAttributes: only AWSTraceHeader, a String, exists in SQS. */
export function traceHeaderFrom(
  value: unknown,
  parameter = 'MessageSystemAttributes',
): {
  traceHeader?: string;
  attributes: MessageAttributes;
} {
  const attributes = messageAttributesFromSqs(value, parameter);
  for (const name of Object.keys(attributes)) {
    if (name !== 'AWSTraceHeader') {
      throw invalidValue(parameter, name, 'The only supported message system attribute is AWSTraceHeader.');
    }
  }
  const trace = attributes.AWSTraceHeader;
  if (!trace) return { attributes };
  if (trace.dataType !== 'String' || typeof trace.stringValue !== 'string' || trace.stringValue === '') {
    throw invalidValue(
      `${parameter}.AWSTraceHeader`,
      trace.dataType,
      'AWSTraceHeader must be a non-empty String.',
    );
  }
  return { traceHeader: trace.stringValue, attributes };
}
