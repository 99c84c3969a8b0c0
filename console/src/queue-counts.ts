import type { Queue } from '../../functions/dialects/rest/client-types';
import { ApiProblem, allQueues, api } from './api';

/**
 * Every queue with its counts. Servers that do not know `?counts=true` (older ones) answer 400;
 * then each queue is asked for its counts on its own.
 */
export async function queuesWithCounts(): Promise<Queue[]> {
  try {
    const queues = await allQueues(true);
    if (queues.every((queue) => queue.messages)) return queues;
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.status !== 400) throw error;
  }
  const names = (await allQueues(false)).map((queue) => queue.name);
  return Promise.all(names.map((name) => api.getQueue(name)));
}

/** The dead letters of a queue: the visible messages of its dead-letter queue. */
export function deadLetterCount(queue: Queue, byName: Map<string, Queue>): number | undefined {
  if (!queue.deadLetterQueue) return undefined;
  return byName.get(queue.deadLetterQueue)?.messages?.visible;
}

export function redrivePolicy(queue: Queue): string {
  return queue.deadLetterQueue
    ? `to ${queue.deadLetterQueue} after ${queue.maxReceiveCount ?? '?'} receives`
    : 'none';
}
