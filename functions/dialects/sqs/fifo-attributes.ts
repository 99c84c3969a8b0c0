import { QueueError } from '../../queue/errors';
import type { QueueRecord, QueueRef, QueueSettings } from '../../queue/model';

/**
 * SQS's FIFO queue attributes and the core's FIFO settings. As in SQS, the FIFO attributes
 * (FifoQueue included) are unknown on a queue whose name does not end in `.fifo` (InvalidAttributeName).
 */
export interface FifoChanges {
  settings: Partial<QueueSettings>;
  fifo?: boolean;
}

const choices: Record<string, { setting: keyof QueueSettings; values: string[] }> = {
  DeduplicationScope: { setting: 'deduplicationScope', values: ['queue', 'messageGroup'] },
  FifoThroughputLimit: { setting: 'fifoThroughputLimit', values: ['perQueue', 'perMessageGroupId'] },
};

/** Reads one FIFO attribute into `changes`; false when `name` is not one (for this queue). */
export function readFifoAttribute(name: string, value: string, ref: QueueRef, changes: FifoChanges): boolean {
  // On a standard queue every FIFO attribute is unknown, FifoQueue too (even "false"), as in SQS.
  if (!ref.name.endsWith('.fifo')) return false;
  if (name === 'FifoQueue') {
    if (value !== 'true' && value !== 'false') throw invalidAttribute(name, 'must be true or false', value);
    changes.fifo = value === 'true';
    return true;
  }
  if (name === 'ContentBasedDeduplication') {
    if (value !== 'true' && value !== 'false') throw invalidAttribute(name, 'must be true or false', value);
    changes.settings.contentBasedDeduplication = value === 'true';
    return true;
  }
  const choice = choices[name];
  if (!choice) return false;
  if (!choice.values.includes(value))
    throw invalidAttribute(name, `must be ${choice.values.join(' or ')}`, value);
  (changes.settings as Record<string, string>)[choice.setting] = value;
  return true;
}

/** The FIFO attributes GetQueueAttributes reports for a FIFO queue. */
export function fifoQueueAttributes(queue: QueueRecord): Record<string, string | undefined> {
  if (!queue.fifo) return {};
  return {
    FifoQueue: 'true',
    ContentBasedDeduplication: String(queue.contentBasedDeduplication ?? false),
    DeduplicationScope: queue.deduplicationScope ?? 'queue',
    FifoThroughputLimit: queue.fifoThroughputLimit ?? 'perQueue',
  };
}

function invalidAttribute(name: string, reason: string, value: string): QueueError {
  return new QueueError(
    'InvalidAttributeValue',
    // SQS's text names the attribute only; what is allowed stays in the details (REST shows them).
    `Invalid value for the parameter ${name}.`,
    { field: name, given: value, allowed: reason },
  );
}
