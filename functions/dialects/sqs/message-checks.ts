import { type QueueContext, queueDoesNotExist } from '../../queue/context';
import { QueueError } from '../../queue/errors';
import { limits } from '../../queue/limits';
import type { MessageAttributes, QueueRecord, QueueRef } from '../../queue/model';
import { messageSize } from '../../queue/validation';
import { type ActionInput, invalidValue, missing, objectList } from './params';

/**
 * The checks SQS makes on a send and on batches, with SQS's own codes and texts (the issue's
 * texts, recorded against AWS: see the README's SQS section for the sources). They run before
 * the core is called, so a request SQS refuses as a whole is refused before anything is stored;
 * the core checks the same rules again for every dialect, in its own words.
 */

/** The queue a message goes to, from the queue cache (no extra read on a warm cache). */
export async function queueFor(ctx: QueueContext, ref: QueueRef): Promise<QueueRecord> {
  const queue = await ctx.queues.find(ref);
  if (!queue) throw queueDoesNotExist(ref);
  return queue;
}

const notForThisQueueType = 'The request include parameter that is not valid for this queue type.';

/** What SQS checks on one message against its queue; `batch` picks the batch wording. */
export function checkMessage(
  queue: QueueRecord,
  entry: ActionInput,
  message: { body: string; attributes: MessageAttributes },
  batch: boolean,
): void {
  if (queue.fifo) {
    if (entry.DelaySeconds !== undefined && Number(entry.DelaySeconds) !== 0) {
      throw invalidValue('DelaySeconds', entry.DelaySeconds, notForThisQueueType);
    }
    if (entry.MessageGroupId === undefined || entry.MessageGroupId === '') {
      // A single send misses a parameter; in a batch SQS calls the same thing an invalid value.
      if (!batch) throw missing('MessageGroupId');
      throw new QueueError(
        'InvalidParameterValue',
        'The request must contain the parameter MessageGroupId.',
        {
          field: 'MessageGroupId',
        },
      );
    }
    if (entry.MessageDeduplicationId === undefined && !queue.contentBasedDeduplication) {
      throw new QueueError(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        { field: 'MessageDeduplicationId' },
      );
    }
  } else if (entry.MessageDeduplicationId !== undefined) {
    throw invalidValue('MessageDeduplicationId', entry.MessageDeduplicationId, notForThisQueueType);
  }
  if (messageSize(message.body, message.attributes) > queue.maxMessageBytes) {
    const lead = batch
      ? 'One or more parameters cannot be validated.'
      : 'One or more parameters are invalid.';
    throw new QueueError(
      'InvalidParameterValue',
      `${lead} Reason: Message must be shorter than ${queue.maxMessageBytes} bytes.`,
      { field: 'MessageBody', allowed: `at most ${queue.maxMessageBytes} bytes` },
    );
  }
}

const batchIdPattern = /^[A-Za-z0-9_-]{1,80}$/;

/** A batch's entries, checked as a whole: 1 to 10 of them, with distinct valid ids. */
export function batchEntries(input: ActionInput, action: string): ActionInput[] {
  const entries = objectList(input, 'Entries');
  if (entries.length === 0) {
    throw new QueueError(
      'EmptyBatchRequest',
      `There should be at least one ${action}RequestEntry in the request.`,
      {
        field: 'Entries',
      },
    );
  }
  if (entries.length > limits.batchEntries) {
    throw new QueueError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${limits.batchEntries}. You have sent ${entries.length}.`,
      { field: 'Entries', given: entries.length },
    );
  }
  const seen = new Set<string>();
  for (const { Id: id } of entries) {
    if (typeof id !== 'string' || !batchIdPattern.test(id)) {
      throw new QueueError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        { field: 'Id', given: id },
      );
    }
    if (seen.has(id)) {
      throw new QueueError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, { field: 'Id', given: id });
    }
    seen.add(id);
  }
  return entries;
}

/** SendMessageBatch's size limit on the whole batch, counted as SQS counts a message. */
export function checkBatchSize(messages: { body: string; attributes: MessageAttributes }[]): void {
  const total = messages.reduce((sum, message) => sum + messageSize(message.body, message.attributes), 0);
  if (total > limits.batchTotalBytes) {
    throw new QueueError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${limits.batchTotalBytes} bytes. You have sent ${total} bytes.`,
      { field: 'Entries', given: total },
    );
  }
}
