import { type ErrorCode, errorKinds, isQueueError } from '../../../queue/errors';
import { limits } from '../../../queue/limits';
import type { BatchFailure, BatchResult, MessageAttributes } from '../../../queue/model';
import { changeVisibilityBatch, deleteMessageBatch } from '../../../queue/operations/acknowledge';
import { type BatchEntry, sendMessageBatch } from '../../../queue/operations/send';
import { messageAttributesFromSqs, traceHeaderFrom } from '../message-attributes';
import { batchEntries, checkBatchSize, checkMessage, queueFor } from '../message-checks';
import { type ActionInput, optionalInteger, requiredString } from '../params';
import { priorityFromAttributes } from '../priority-attribute';
import type { ActionOutput } from '../responses';
import { sqsMessage } from '../sqs-errors';
import { type SqsAction, targetQueue } from './call';
import { fifoMessageParameters } from './fifo-parameters';
import { digests } from './messages';

/**
 * The batch actions. The batch as a whole is checked first (1 to 10 entries, distinct valid
 * ids); then each entry succeeds or fails on its own and is reported under its id.
 */

export const SendMessageBatch: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const entries = batchEntries(call.input, 'SendMessageBatch');
  const queue = await queueFor(call.runtime.queue, ref);
  const failed: BatchFailure[] = [];
  const accepted: (BatchEntry & { systemAttributes: ReturnType<typeof traceHeaderFrom>['attributes'] })[] =
    [];
  const read: { entry: ActionInput; body: string; attributes: MessageAttributes }[] = [];
  entries.forEach((entry, index) => {
    const id = entry.Id as string;
    try {
      const prefix = `SendMessageBatchRequestEntry.${index + 1}.`;
      const body = requiredString(entry, 'MessageBody');
      const delaySeconds = optionalInteger(entry, 'DelaySeconds', limits.delaySeconds);
      const system = traceHeaderFrom(entry.MessageSystemAttributes, `${prefix}MessageSystemAttributes`);
      const attributes = messageAttributesFromSqs(entry.MessageAttributes, `${prefix}MessageAttributes`);
      read.push({ entry, body, attributes });
      accepted.push({
        id,
        body,
        attributes,
        ...fifoMessageParameters(entry, prefix),
        ...priorityFromAttributes(queue, attributes, `${prefix}MessageAttributes`),
        ...(delaySeconds === undefined ? {} : { delaySeconds }),
        ...(system.traceHeader === undefined ? {} : { traceHeader: system.traceHeader }),
        systemAttributes: system.attributes,
      });
    } catch (error) {
      failed.push(failure(id, error));
    }
  });
  // What SQS refuses for the whole request, checked before anything is stored.
  checkBatchSize(read);
  for (const { entry, body, attributes } of read) checkMessage(queue, entry, { body, attributes }, true);
  const successful: ActionOutput[] = [];
  if (accepted.length > 0) {
    const result = await sendMessageBatch(
      call.runtime.queue,
      ref,
      accepted.map(({ systemAttributes: _, ...entry }) => entry),
      { senderId: call.senderId },
    );
    for (const sent of result.successful) {
      const system = accepted.find((entry) => entry.id === sent.id)!.systemAttributes;
      successful.push({
        Id: sent.id,
        MessageId: sent.messageId,
        ...digests(sent.message.body, sent.message.attributes, system),
        ...(sent.message.sequenceNumber ? { SequenceNumber: sent.message.sequenceNumber } : {}),
      });
    }
    failed.push(...result.failed);
  }
  return batchOutput({ successful, failed });
};

export const DeleteMessageBatch: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const entries = batchEntries(call.input, 'DeleteMessageBatch').map((entry) => ({
    id: entry.Id as string,
    receiptHandle: entry.ReceiptHandle,
  }));
  const result = await deleteMessageBatch(call.runtime.queue, ref, entries, { earlierHandles: true });
  return batchOutput(
    { successful: result.successful.map(({ id }) => ({ Id: id })), failed: result.failed },
    entries,
  );
};

export const ChangeMessageVisibilityBatch: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const entries = batchEntries(call.input, 'ChangeMessageVisibilityBatch').map((entry) => ({
    id: entry.Id as string,
    receiptHandle: entry.ReceiptHandle,
    // Query sends numbers as text; the core checks the range and reports it for this entry.
    visibilityTimeoutSeconds:
      typeof entry.VisibilityTimeout === 'string' && /^\d+$/.test(entry.VisibilityTimeout)
        ? Number(entry.VisibilityTimeout)
        : entry.VisibilityTimeout,
  }));
  const result = await changeVisibilityBatch(call.runtime.queue, ref, entries, { earlierHandles: true });
  return batchOutput(
    { successful: result.successful.map(({ id }) => ({ Id: id })), failed: result.failed },
    entries,
  );
};

function failure(id: string, error: unknown): BatchFailure {
  if (!isQueueError(error)) throw error;
  return { id, code: error.code, message: error.message, senderFault: error.kind.fault === 'Sender' };
}

/**
 * Entry failures carry the Query error code, as SQS reports them in both protocols, and SQS's text
 * (an invalid receipt handle is echoed: `handles` are the entries as given).
 */
function batchOutput(
  result: BatchResult<ActionOutput>,
  handles: { id: string; receiptHandle: unknown }[] = [],
): ActionOutput {
  return {
    Successful: result.successful,
    Failed: result.failed.map((entry) => {
      const given = handles.find((handle) => handle.id === entry.id)?.receiptHandle;
      return {
        Id: entry.id,
        SenderFault: entry.senderFault,
        Code: errorKinds[entry.code as ErrorCode]?.queryCode ?? entry.code,
        // Entry failures are the same in both protocols: the protocol only matters for queues.
        Message: sqsMessage(
          { code: entry.code as ErrorCode, message: entry.message, details: { given } },
          'json',
        ),
      };
    }),
  };
}
