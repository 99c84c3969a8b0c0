import { invalidParameter, missingParameter, QueueError } from './errors';
import { limits } from './limits';
import type { MessageAttributes, QueueSettings } from './model';

/**
 * Validation rules shared by both dialects. Each failure names the field, what was given and
 * what is allowed.
 */

/** A standard queue name, or a FIFO queue name: up to 75 characters and the `.fifo` suffix. */
const queueNamePattern = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;

export function validateQueueName(name: unknown, field = 'name'): string {
  if (name === undefined || name === null || name === '') {
    throw missingParameter(field, 'a queue name of 1 to 80 characters [A-Za-z0-9_-]');
  }
  if (typeof name !== 'string' || !queueNamePattern.test(name)) {
    throw invalidParameter(
      field,
      name,
      '1 to 80 characters from A-Z, a-z, 0-9, hyphen (-) and underscore (_), a FIFO queue name ending in .fifo',
    );
  }
  return name;
}

export function integerInRange(field: string, value: unknown, range: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidParameter(
      field,
      value,
      `an integer from ${range.min.toLocaleString('en-US')} to ${range.max.toLocaleString('en-US')}`,
    );
  }
  return value;
}

export function optionalInteger(
  field: string,
  value: unknown,
  range: { min: number; max: number },
): number | undefined {
  return value === undefined ? undefined : integerInRange(field, value, range);
}

/** Checks the settings of a queue as a whole (each value, and how they fit together). */
export function validateSettings(settings: QueueSettings): QueueSettings {
  integerInRange(
    'visibilityTimeoutSeconds',
    settings.visibilityTimeoutSeconds,
    limits.visibilityTimeoutSeconds,
  );
  integerInRange('retentionSeconds', settings.retentionSeconds, limits.queueRetentionSeconds);
  integerInRange('delaySeconds', settings.delaySeconds, limits.delaySeconds);
  integerInRange('maxMessageBytes', settings.maxMessageBytes, limits.maxMessageBytes);
  integerInRange('receiveWaitSeconds', settings.receiveWaitSeconds, limits.receiveWaitSeconds);
  optionalInteger('maxReceiveCount', settings.maxReceiveCount, limits.maxReceiveCount);
  if (settings.deadLetterQueue !== undefined) validateQueueName(settings.deadLetterQueue, 'deadLetterQueue');
  if ((settings.maxReceiveCount === undefined) !== (settings.deadLetterQueue === undefined)) {
    throw invalidParameter(
      settings.deadLetterQueue === undefined ? 'deadLetterQueue' : 'maxReceiveCount',
      undefined,
      'given together with ' +
        (settings.deadLetterQueue === undefined ? 'maxReceiveCount' : 'deadLetterQueue'),
    );
  }
  return settings;
}

/**
 * Characters SQS allows in a message body and attribute values:
 * #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. A lone surrogate is not allowed.
 */
const forbiddenCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function validateBody(field: string, body: unknown): string {
  if (body === undefined || body === null)
    throw missingParameter(field, 'a message body of at least 1 character');
  if (typeof body !== 'string') throw invalidParameter(field, body, 'a string');
  if (body.length === 0) throw invalidParameter(field, body, 'at least 1 character long');
  const bad = forbiddenCharacter.exec(body);
  if (bad) {
    const codePoint = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new QueueError(
      'InvalidMessageContents',
      `${field} contains the character U+${codePoint} at index ${bad.index}, which is not allowed; allowed are ` +
        '#x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD and #x10000 to #x10FFFF',
      { field, allowed: 'Unicode characters allowed in XML 1.0' },
    );
  }
  return body;
}

const attributeNamePattern = /^[A-Za-z0-9_.-]+$/;
const dataTypePattern = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,256})?$/;

/** A message attribute name as SQS allows it (also what a dead-letter browse filters on). */
export function validateAttributeName(field: string, name: string): string {
  if (
    name.length > limits.attributeNameMaxLength ||
    !attributeNamePattern.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    /^(aws\.|amazon\.)/i.test(name)
  ) {
    throw invalidParameter(
      field,
      name,
      'up to 256 characters from A-Z, a-z, 0-9, underscore, hyphen and period, not starting or ending ' +
        'with a period, without two periods in a row, not starting with AWS. or Amazon.',
    );
  }
  return name;
}

export function validateMessageAttributes(
  field: string,
  attributes: MessageAttributes | undefined,
): MessageAttributes {
  if (attributes === undefined) return {};
  const names = Object.keys(attributes);
  if (names.length > limits.messageAttributes) {
    throw invalidParameter(
      field,
      `${names.length} attributes`,
      `at most ${limits.messageAttributes} attributes`,
    );
  }
  for (const name of names) {
    const where = `${field}.${name}`;
    validateAttributeName(`${field} name`, name);
    const value = attributes[name]!;
    if (typeof value.dataType !== 'string' || !dataTypePattern.test(value.dataType)) {
      throw invalidParameter(
        `${where}.dataType`,
        value.dataType,
        'String, Number or Binary, optionally with a .suffix',
      );
    }
    const base = value.dataType.split('.')[0];
    if (base === 'Binary') {
      if (
        typeof value.binaryValue !== 'string' ||
        value.binaryValue.length === 0 ||
        value.stringValue !== undefined
      ) {
        throw invalidParameter(
          `${where}.binaryValue`,
          value.binaryValue,
          'non-empty base64 bytes for a Binary attribute',
        );
      }
    } else {
      if (
        typeof value.stringValue !== 'string' ||
        value.stringValue.length === 0 ||
        value.binaryValue !== undefined
      ) {
        throw invalidParameter(
          `${where}.stringValue`,
          value.stringValue,
          `a non-empty string for a ${base} attribute`,
        );
      }
      validateBody(`${where}.stringValue`, value.stringValue);
      if (base === 'Number' && !isSqsNumber(value.stringValue)) {
        throw invalidParameter(
          `${where}.stringValue`,
          value.stringValue,
          'a number with up to 38 digits, from -10^128 to 10^126',
        );
      }
    }
  }
  return attributes;
}

function isSqsNumber(text: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return false;
  const digits = text
    .replace(/[eE].*$/, '')
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '');
  return digits.length <= 38 && Number.isFinite(Number(text));
}

/** Bytes a message counts against the size limit: body plus attribute names, types and values. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.dataType, 'utf8');
    if (value.stringValue !== undefined) size += Buffer.byteLength(value.stringValue, 'utf8');
    if (value.binaryValue !== undefined) size += Buffer.from(value.binaryValue, 'base64').length;
  }
  return size;
}

const batchIdPattern = /^[A-Za-z0-9_-]{1,80}$/;

/** Checks a batch's shape: 1..10 entries with distinct valid ids. */
export function validateBatch<T extends { id: unknown }>(field: string, entries: unknown): T[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new QueueError('EmptyBatchRequest', `${field} must contain at least one entry`, { field });
  }
  if (entries.length > limits.batchEntries) {
    throw new QueueError(
      'TooManyEntriesInBatchRequest',
      `${field} may contain at most ${limits.batchEntries} entries, but ${entries.length} were given`,
      { field, given: entries.length, allowed: `1 to ${limits.batchEntries} entries` },
    );
  }
  const seen = new Set<string>();
  for (const entry of entries as T[]) {
    const id = entry?.id;
    if (typeof id !== 'string' || !batchIdPattern.test(id)) {
      throw new QueueError(
        'InvalidBatchEntryId',
        `${field} entry id ${JSON.stringify(id)} is invalid: ids are 1 to 80 characters from A-Z, a-z, 0-9, - and _`,
        { field: `${field}.id`, given: id },
      );
    }
    if (seen.has(id)) {
      throw new QueueError(
        'BatchEntryIdsNotDistinct',
        `${field} entry id ${JSON.stringify(id)} is used twice`,
        {
          field: `${field}.id`,
          given: id,
        },
      );
    }
    seen.add(id);
  }
  return entries as T[];
}

export interface ListQueuesInput {
  account: string;
  region: string;
  prefix?: string;
  limit?: number;
  nextToken?: string;
}

/** A listing's prefix and page size, checked; the page size defaults to the most SQS allows. */
export function validateListQueues(input: ListQueuesInput): ListQueuesInput & { limit: number } {
  if (
    input.prefix !== undefined &&
    (typeof input.prefix !== 'string' || !/^[A-Za-z0-9_-]{0,80}$/.test(input.prefix))
  ) {
    throw invalidParameter('prefix', input.prefix, 'up to 80 characters from A-Z, a-z, 0-9, - and _');
  }
  const limit = integerInRange('limit', input.limit ?? limits.listQueuesMaxResults, {
    min: 1,
    max: limits.listQueuesMaxResults,
  });
  return { ...input, limit };
}
