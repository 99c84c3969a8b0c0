import { QueueError } from '../../queue/errors';
import { limits } from '../../queue/limits';
import type { MessageCounts, QueueRecord, QueueRef, QueueSettings } from '../../queue/model';
import { fairAttributeNames } from './fair-attributes';
import { fifoQueueAttributes, readFifoAttribute } from './fifo-attributes';
import { invalidValue } from './params';
import { parseQueueArn, queueArn } from './queue-url';
import { redriveAllowPolicyProblem } from './redrive-allow-policy';

/**
 * SQS queue attributes mapped onto the core's settings. Attributes the core keeps but does not
 * act on (policies, encryption settings) live in its `extraAttributes`. FIFO attributes are read
 * in fifo-attributes.ts: FifoQueue=true needs a `.fifo` name, and the others are unknown to a
 * standard queue, as in SQS.
 */
type Range = { min: number; max: number };

const numeric: Record<string, { setting: keyof QueueSettings; range: Range }> = {
  VisibilityTimeout: { setting: 'visibilityTimeoutSeconds', range: limits.visibilityTimeoutSeconds },
  MessageRetentionPeriod: { setting: 'retentionSeconds', range: limits.retentionSeconds },
  DelaySeconds: { setting: 'delaySeconds', range: limits.delaySeconds },
  MaximumMessageSize: { setting: 'maxMessageBytes', range: limits.maxMessageBytes },
  ReceiveMessageWaitTimeSeconds: { setting: 'receiveWaitSeconds', range: limits.receiveWaitSeconds },
};

/** Stored as given (after a format check) and returned by GetQueueAttributes. */
const stored: Record<string, (value: string) => string | undefined> = {
  Policy: (value) => (value === '' || isJsonObject(value) ? undefined : 'must be a JSON policy document'),
  KmsMasterKeyId: () => undefined,
  KmsDataKeyReusePeriodSeconds: (value) =>
    /^\d+$/.test(value) && Number(value) >= 60 && Number(value) <= 86_400
      ? undefined
      : 'must be an integer from 60 to 86,400 seconds',
  SqsManagedSseEnabled: (value) =>
    value === 'true' || value === 'false' ? undefined : 'must be true or false',
};

const fifoOnly = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];

const computed = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];

/** Every name GetQueueAttributes accepts (FIFO ones are accepted and never present). */
const readable = new Set([
  'All',
  ...computed,
  ...Object.keys(numeric),
  'RedrivePolicy',
  'RedriveAllowPolicy',
  ...Object.keys(stored),
  'FifoQueue',
  ...fifoOnly,
  // Named only, never part of All (fair-attributes.ts).
  ...fairAttributeNames,
]);

const countNames = new Set(computed.slice(1, 4));

export interface AttributeChanges {
  settings: Partial<QueueSettings>;
  extraAttributes: Record<string, string>;
  removeRedrivePolicy: boolean;
  /** FifoQueue, when given (CreateQueue only: a queue's kind is fixed). */
  fifo?: boolean;
}

/** Reads CreateQueue / SetQueueAttributes attributes into core settings, checking each value. */
export function attributeChanges(attributes: Record<string, string>, ref: QueueRef): AttributeChanges {
  const changes: AttributeChanges = { settings: {}, extraAttributes: {}, removeRedrivePolicy: false };
  for (const [name, value] of Object.entries(attributes)) {
    const number = numeric[name];
    const check = stored[name];
    if (number) {
      const parsed = value.trim() === '' ? Number.NaN : Number(value);
      if (!Number.isInteger(parsed) || parsed < number.range.min || parsed > number.range.max) {
        throw invalidAttributeValue(
          name,
          `must be an integer from ${number.range.min.toLocaleString('en-US')} to ${number.range.max.toLocaleString('en-US')}, but ${JSON.stringify(value)} was given`,
        );
      }
      (changes.settings as Record<string, number>)[number.setting] = parsed;
    } else if (name === 'RedrivePolicy') {
      if (value === '') changes.removeRedrivePolicy = true;
      else Object.assign(changes.settings, redrivePolicy(value, ref));
    } else if (name === 'RedriveAllowPolicy') {
      // Like RedrivePolicy, a malformed policy is an invalid parameter value in SQS.
      const problem = redriveAllowPolicyProblem(value);
      if (problem) throw invalidValue(name, value, problem);
      changes.extraAttributes[name] = value;
    } else if (check) {
      const problem = check(value);
      if (problem) throw invalidAttributeValue(name, `${problem}, but ${JSON.stringify(value)} was given`);
      changes.extraAttributes[name] = value;
    } else if (readFifoAttribute(name, value, ref, changes)) {
      // a FIFO attribute, read into changes
    } else {
      throw unknownAttribute(name);
    }
  }
  return changes;
}

function redrivePolicy(
  value: string,
  ref: QueueRef,
): Pick<QueueSettings, 'deadLetterQueue' | 'maxReceiveCount'> {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    throw invalidValue('RedrivePolicy', value, 'Redrive policy is not a valid JSON map.');
  }
  const { deadLetterTargetArn, maxReceiveCount } = (policy ?? {}) as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string') {
    throw invalidValue('RedrivePolicy', value, 'Redrive policy does not contain deadLetterTargetArn.');
  }
  const target = parseQueueArn(deadLetterTargetArn);
  if (!target || target.account !== ref.account || target.region !== ref.region) {
    throw invalidValue(
      'RedrivePolicy',
      value,
      `deadLetterTargetArn must be the ARN of a queue in the same account and region (arn:aws:sqs:${ref.region}:${ref.account}:<name>).`,
    );
  }
  const count = typeof maxReceiveCount === 'string' ? Number(maxReceiveCount) : maxReceiveCount;
  const { min, max } = limits.maxReceiveCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < min || count > max) {
    throw invalidValue('RedrivePolicy', value, `maxReceiveCount must be an integer from ${min} to ${max}.`);
  }
  return { deadLetterQueue: target.name, maxReceiveCount: count };
}

/** The attribute names GetQueueAttributes was asked for, checked; empty means none. */
export function requestedAttributes(names: string[]): Set<string> {
  for (const name of names) if (!readable.has(name)) throw unknownAttribute(name);
  return new Set(names);
}

export const needsCounts = (names: Set<string>) =>
  names.has('All') || [...countNames].some((name) => names.has(name));

export function queueAttributes(
  queue: QueueRecord,
  names: Set<string>,
  counts?: MessageCounts,
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    QueueArn: queueArn(queue.ref),
    ApproximateNumberOfMessages: counts && String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: counts && String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: counts && String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.updatedAt / 1000)),
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    MaximumMessageSize: String(queue.maxMessageBytes),
    MessageRetentionPeriod: String(queue.retentionSeconds),
    DelaySeconds: String(queue.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitSeconds),
    RedrivePolicy:
      queue.deadLetterQueue === undefined
        ? undefined
        : JSON.stringify({
            deadLetterTargetArn: queueArn({ ...queue.ref, name: queue.deadLetterQueue }),
            maxReceiveCount: queue.maxReceiveCount,
          }),
    // SQS encrypts new queues with SQS-managed keys unless told otherwise.
    SqsManagedSseEnabled: queue.extraAttributes.KmsMasterKeyId ? undefined : 'true',
    ...fifoQueueAttributes(queue),
  };
  for (const [name, value] of Object.entries(queue.extraAttributes)) {
    if (value !== '') all[name] = value;
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) {
    if (value !== undefined && (names.has('All') || names.has(name))) out[name] = value;
  }
  return out;
}

/** SQS's text names the attribute only (`Invalid value for the parameter VisibilityTimeout.`). */
function invalidAttributeValue(name: string, reason: string): QueueError {
  return new QueueError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`, {
    field: name,
    allowed: reason,
  });
}

function unknownAttribute(name: string): QueueError {
  return new QueueError('InvalidAttributeName', `Unknown Attribute ${name}.`, {
    field: name,
    ...(computed.includes(name) ? { allowed: 'not a read-only attribute' } : {}),
  });
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
