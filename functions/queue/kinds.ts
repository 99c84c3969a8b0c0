import { fifoKind } from './fifo/kind';
import type { QueueRecord } from './model';
import type { QueueKind } from './shared/queue-kind';
import { standardKind } from './standard/kind';

/**
 * The one place that asks which kind a queue is (fixed when the queue is created): operations
 * take the kind from here and call its verbs, as ElasticMQ builds a queue's object once.
 */
export function kindOf(queue: QueueRecord): QueueKind {
  return queue.fifo ? fifoKind : standardKind;
}
