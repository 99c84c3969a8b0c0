import { invalidParameter } from '../errors';
import type { QueueRecord, QueueSettings } from '../model';

/**
 * Which kind a queue is, and the settings only FIFO queues have. As in SQS, the name decides:
 * a FIFO queue's name ends in `.fifo` and is created with fifo=true, a standard one's does not.
 */
export const fifoDefaults: Required<
  Pick<QueueSettings, 'contentBasedDeduplication' | 'deduplicationScope' | 'fifoThroughputLimit'>
> = {
  contentBasedDeduplication: false,
  deduplicationScope: 'queue',
  fifoThroughputLimit: 'perQueue',
};

const fifoOnly = ['contentBasedDeduplication', 'deduplicationScope', 'fifoThroughputLimit'] as const;

/** True for a FIFO queue; refuses a name and a kind that disagree. */
export function queueKind(name: string, fifo: unknown): boolean {
  const named = name.endsWith('.fifo');
  if (fifo !== undefined && typeof fifo !== 'boolean') throw invalidParameter('fifo', fifo, 'true or false');
  if (fifo === true && !named) {
    throw invalidParameter('name', name, 'a name ending in .fifo for a FIFO queue');
  }
  if (named && fifo !== true) {
    throw invalidParameter(
      'name',
      name,
      'a name without the .fifo suffix for a standard queue (a FIFO queue is created with fifo: true)',
    );
  }
  return named;
}

/** Checks the FIFO settings of a queue of the given kind. */
export function validateFifoSettings(fifo: boolean, settings: Partial<QueueSettings>): void {
  if (!fifo) {
    for (const field of fifoOnly) {
      if (settings[field] !== undefined)
        throw invalidParameter(field, settings[field], 'set on FIFO queues only');
    }
    return;
  }
  const { contentBasedDeduplication, deduplicationScope, fifoThroughputLimit } = settings;
  if (contentBasedDeduplication !== undefined && typeof contentBasedDeduplication !== 'boolean') {
    throw invalidParameter('contentBasedDeduplication', contentBasedDeduplication, 'true or false');
  }
  if (
    deduplicationScope !== undefined &&
    deduplicationScope !== 'queue' &&
    deduplicationScope !== 'messageGroup'
  ) {
    throw invalidParameter('deduplicationScope', deduplicationScope, 'queue or messageGroup');
  }
  if (
    fifoThroughputLimit !== undefined &&
    fifoThroughputLimit !== 'perQueue' &&
    fifoThroughputLimit !== 'perMessageGroupId'
  ) {
    throw invalidParameter('fifoThroughputLimit', fifoThroughputLimit, 'perQueue or perMessageGroupId');
  }
  if (fifoThroughputLimit === 'perMessageGroupId' && deduplicationScope !== 'messageGroup') {
    throw invalidParameter(
      'fifoThroughputLimit',
      fifoThroughputLimit,
      'perQueue unless deduplicationScope is messageGroup',
    );
  }
}

/** As in SQS, a FIFO queue's dead-letter queue is a FIFO queue, and a standard one's is standard. */
export function requireSameKind(fifo: boolean, other: QueueRecord, field = 'deadLetterQueue'): void {
  if (Boolean(other.fifo) !== fifo) {
    throw invalidParameter(
      field,
      other.ref.name,
      fifo ? 'a FIFO queue for a FIFO queue' : 'a standard queue for a standard queue',
    );
  }
}
