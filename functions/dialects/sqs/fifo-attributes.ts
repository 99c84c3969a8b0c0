import { QueueError } from '../../queue/errors';
import type { QueueRecord, QueueRef, QueueSettings } from '../../queue/model';
import { invalidValue } from './params';

/**
 * SQS's FIFO queue attributes and the core's FIFO settings. As in SQS, FifoQueue=true needs a
 * `.fifo` name, and the other FIFO attributes are unknown on a standard queue (InvalidAttributeName).
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
  const fifoName = ref.name.endsWith('.fifo');
  if (name === 'FifoQueue') {
    if (value !== 'true' && value !== 'false') throw invalidAttribute(name, 'must be true or false', value);
    if (value === 'true' && !fifoName) {
      throw invalidValue('FifoQueue', value, 'The name of a FIFO queue must end with the .fifo suffix.');
    }
    changes.fifo = value === 'true';
    return true;
  }
  if (!fifoName) return false;
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
    `Invalid value for the parameter ${name}: ${reason}, but ${JSON.stringify(value)} was given.`,
    { field: name, allowed: reason },
  );
}
