import { isQueueError } from '../../../queue/errors';
import { limits } from '../../../queue/limits';
import type { ReceivedMessage } from '../../../queue/model';
import { changeVisibility, deleteMessage } from '../../../queue/operations/acknowledge';
import { receiveMessages } from '../../../queue/operations/receive';
import { sendMessage } from '../../../queue/operations/send';
import { md5OfAttributes, md5OfBody } from '../md5';
import {
  checkSystemAttributeNames,
  messageAttributesFromSqs,
  messageAttributesToSqs,
  selectMessageAttributes,
  systemAttributes,
  traceHeaderFrom,
} from '../message-attributes';
import { checkMessage, queueFor } from '../message-checks';
import {
  invalidValue,
  optionalInteger,
  optionalString,
  requiredInteger,
  requiredString,
  stringList,
} from '../params';
import { priorityFromAttributes, withPriorityAttribute } from '../priority-attribute';
import type { ActionOutput } from '../responses';
import { type SqsAction, targetQueue } from './call';
import { fifoMessageParameters } from './fifo-parameters';

/** One message at a time: SendMessage, ReceiveMessage, DeleteMessage, ChangeMessageVisibility. */

export const SendMessage: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const body = requiredString(call.input, 'MessageBody');
  const delaySeconds = optionalInteger(call.input, 'DelaySeconds', limits.delaySeconds);
  const attributes = messageAttributesFromSqs(call.input.MessageAttributes);
  const system = traceHeaderFrom(call.input.MessageSystemAttributes);
  const queue = await queueFor(call.runtime.queue, ref);
  checkMessage(queue, call.input, { body, attributes }, false);
  const sent = await sendMessage(
    call.runtime.queue,
    ref,
    {
      body,
      attributes,
      ...fifoMessageParameters(call.input),
      ...priorityFromAttributes(queue, attributes),
      ...(delaySeconds === undefined ? {} : { delaySeconds }),
      ...(system.traceHeader === undefined ? {} : { traceHeader: system.traceHeader }),
    },
    { senderId: call.senderId },
  );
  return {
    MessageId: sent.messageId,
    ...digests(sent.message.body, sent.message.attributes, system.attributes),
    ...(sent.message.sequenceNumber ? { SequenceNumber: sent.message.sequenceNumber } : {}),
  };
};

export const ReceiveMessage: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const maxMessages = optionalInteger(call.input, 'MaxNumberOfMessages', limits.maxMessages);
  const visibilityTimeoutSeconds = optionalInteger(
    call.input,
    'VisibilityTimeout',
    limits.visibilityTimeoutSeconds,
  );
  const waitTimeSeconds = optionalInteger(call.input, 'WaitTimeSeconds', limits.receiveWaitSeconds);
  // AttributeNames is the older name of MessageSystemAttributeNames; SQS honours both.
  const systemNames = checkSystemAttributeNames(
    [...stringList(call.input, 'AttributeNames'), ...stringList(call.input, 'MessageSystemAttributeNames')],
    'MessageSystemAttributeNames',
  );
  const attributeNames = stringList(call.input, 'MessageAttributeNames');
  const receiveRequestAttemptId = optionalString(call.input, 'ReceiveRequestAttemptId');
  const messages = await receiveMessages(call.runtime.queue, ref, {
    ...(receiveRequestAttemptId === undefined ? {} : { receiveRequestAttemptId }),
    ...(maxMessages === undefined ? {} : { maxMessages }),
    ...(visibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds }),
    ...(waitTimeSeconds === undefined ? {} : { waitTimeSeconds }),
  });
  if (messages.length === 0) return {};
  return {
    Messages: messages.map((message) => receivedMessage(message, systemNames, attributeNames)),
  };
};

function receivedMessage(message: ReceivedMessage, systemNames: Set<string>, attributeNames: string[]) {
  const attributes = systemAttributes(message, systemNames);
  const selected = selectMessageAttributes(withPriorityAttribute(message), attributeNames);
  const md5OfSelected = md5OfAttributes(selected);
  const out: ActionOutput = {
    MessageId: message.id,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5OfBody(message.body),
    Body: message.body,
  };
  if (Object.keys(attributes).length > 0) out.Attributes = attributes;
  // The digest covers the attributes returned, which is what a client can check it against.
  if (md5OfSelected) {
    out.MD5OfMessageAttributes = md5OfSelected;
    out.MessageAttributes = messageAttributesToSqs(selected);
  }
  return out;
}

export const DeleteMessage: SqsAction = async (call) => {
  const ref = targetQueue(call);
  // As in SQS, the handle of an earlier receive of a message still queued acts on it.
  await deleteMessage(call.runtime.queue, ref, requiredString(call.input, 'ReceiptHandle'), {
    earlierHandles: true,
  });
  return {};
};

export const ChangeMessageVisibility: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const handle = requiredString(call.input, 'ReceiptHandle');
  const seconds = requiredInteger(call.input, 'VisibilityTimeout', limits.visibilityTimeoutSeconds);
  try {
    await changeVisibility(call.runtime.queue, ref, handle, seconds, { earlierHandles: true });
  } catch (error) {
    // SQS words a genuine handle of a message no longer queued as an invalid parameter value.
    if (isQueueError(error) && error.code === 'ReceiptHandleIsInvalid' && error.details.reason === 'gone') {
      throw invalidValue(
        'ReceiptHandle',
        handle,
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    throw error;
  }
  return {};
};

/** The digests SendMessage and SendMessageBatch return for a message as stored. */
export function digests(
  body: string,
  attributes: Parameters<typeof md5OfAttributes>[0],
  systemAttributes: Parameters<typeof md5OfAttributes>[0],
): ActionOutput {
  const ofAttributes = md5OfAttributes(attributes);
  const ofSystem = md5OfAttributes(systemAttributes);
  return {
    MD5OfMessageBody: md5OfBody(body),
    ...(ofAttributes ? { MD5OfMessageAttributes: ofAttributes } : {}),
    ...(ofSystem ? { MD5OfMessageSystemAttributes: ofSystem } : {}),
  };
}
