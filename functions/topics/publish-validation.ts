import { invalidParameter } from './errors';
import type { PublishInput, TopicMessageAttributes, TopicRecord } from './model';

/**
 * The rules of a publish, with SNS's InvalidParameter texts where they are known (localstack's
 * recordings against AWS and its provider): size, subject, message structure, attributes, and
 * the FIFO parameters.
 */
export const publishLimits = { messageBytes: 262_144, subjectLength: 100, fifoIdLength: 128 } as const;

export interface ValidPublish {
  body: string;
  subject?: string;
  attributes: TopicMessageAttributes;
  groupId?: string;
  deduplicationId?: string;
}

const attributeNamePattern = /^[A-Za-z0-9_.-]{1,256}$/;
const dataTypePattern = /^(String|Number|Binary|String\.Array)(\.[A-Za-z0-9_.-]+)?$/;
const fifoIdPattern = /^[\x21-\x7E]{1,128}$/;

export function validatePublish(topic: TopicRecord, input: PublishInput, _prefix: string): ValidPublish {
  let body = input.body;
  if (body === undefined || body === '')
    throw invalidParameter('Invalid parameter: Empty message', 'Message');
  if (input.messageStructure !== undefined && input.messageStructure !== '') {
    if (input.messageStructure !== 'json') {
      throw invalidParameter('Invalid parameter: MessageStructure', 'MessageStructure');
    }
    body = bodyForQueues(body);
  }
  const attributes = validateAttributes(input.attributes ?? {});
  const size =
    Buffer.byteLength(body) +
    Object.entries(attributes).reduce(
      (sum, [name, a]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(a.dataType) +
        Buffer.byteLength(a.stringValue ?? a.binaryValue ?? ''),
      0,
    );
  if (size > publishLimits.messageBytes) {
    throw invalidParameter('Invalid parameter: Message too long', 'Message');
  }
  const out: ValidPublish = { body, attributes };
  if (input.subject !== undefined) {
    // SNS: ASCII text, no line breaks or control characters, 1 to 100 characters.
    if (!/^[\x20-\x7E]{1,100}$/.test(input.subject))
      throw invalidParameter('Invalid parameter: Subject', 'Subject');
    out.subject = input.subject;
  }
  if (topic.fifo) {
    if (input.groupId === undefined || input.groupId === '') {
      throw invalidParameter(
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
        'MessageGroupId',
      );
    }
    if (input.deduplicationId === undefined && !topic.contentBasedDeduplication) {
      throw invalidParameter(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        'MessageDeduplicationId',
      );
    }
  } else if (input.deduplicationId !== undefined) {
    throw invalidParameter(
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      'MessageDeduplicationId',
    );
  }
  if (input.groupId !== undefined) {
    if (!fifoIdPattern.test(input.groupId)) {
      throw invalidParameter(
        'Invalid parameter: MessageGroupId Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
        'MessageGroupId',
      );
    }
    out.groupId = input.groupId;
  }
  if (input.deduplicationId !== undefined) {
    if (!fifoIdPattern.test(input.deduplicationId)) {
      throw invalidParameter(
        'Invalid parameter: MessageDeduplicationId Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
        'MessageDeduplicationId',
      );
    }
    out.deduplicationId = input.deduplicationId;
  }
  return out;
}

/** MessageStructure=json: one message per protocol, `default` required; queues get `sqs` if given. */
function bodyForQueues(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
      'Message',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
      'Message',
    );
  }
  const messages = parsed as Record<string, unknown>;
  if (typeof messages.default !== 'string') {
    throw invalidParameter(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
      'Message',
    );
  }
  return typeof messages.sqs === 'string' ? messages.sqs : messages.default;
}

function validateAttributes(attributes: TopicMessageAttributes): TopicMessageAttributes {
  const out: TopicMessageAttributes = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const reason = (text: string) =>
      invalidParameter(`Invalid parameter: MessageAttributes Reason: ${text}`, 'MessageAttributes');
    if (
      !attributeNamePattern.test(name) ||
      name.includes('..') ||
      name.startsWith('.') ||
      name.endsWith('.')
    ) {
      throw reason(`Message attribute name '${name}' has an invalid character`);
    }
    if (/^(aws\.|amazon\.)/i.test(name))
      throw reason(`Message attribute name '${name}' uses a reserved prefix`);
    const dataType = attribute?.dataType;
    if (typeof dataType !== 'string' || !dataTypePattern.test(dataType)) {
      throw reason(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (dataType.startsWith('Binary')) {
      if (!attribute.binaryValue) {
        throw reason(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      }
      out[name] = { dataType, binaryValue: attribute.binaryValue };
      continue;
    }
    const value = attribute.stringValue;
    if (value === undefined || value === '') {
      throw reason(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
      );
    }
    if (dataType.startsWith('Number') && !Number.isFinite(Number(value))) {
      throw reason(`Could not cast message attribute '${name}' value to number.`);
    }
    if (dataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed))
        throw reason(
          `Invalid value for message attribute '${name}' of type String.Array: must be a JSON array`,
        );
    }
    out[name] = { dataType, stringValue: value };
  }
  return out;
}
