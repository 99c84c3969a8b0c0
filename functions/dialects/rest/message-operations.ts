import {
  changeVisibility,
  changeVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from '../../queue/operations/acknowledge';
import { cancelScheduledMessage } from '../../queue/operations/cancel-scheduled';
import { receiveMessages } from '../../queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../queue/operations/send';
import type { HttpEvent } from '../http';
import { json, noContent } from '../http';
import type { Runtime } from '../runtime';
import { check, parseBody } from './parse';
import { checkPriorities } from './priority-field';
import {
  attributesFromRest,
  batchRepresentation,
  deliverAtOf,
  messageRepresentation,
} from './representations';
import { type RestOperation, refOf } from './rest-operation';
import * as schemas from './schemas';

/**
 * The REST operations on messages, in one map per function that serves them (functions/routes.ts),
 * so the send, receive and delete functions bundle only their own operations, not the queue
 * administration, topics or the OpenAPI document.
 */
/** Who is calling, for the SenderId system attribute: the IAM caller when deployed. */
function senderOf(event: HttpEvent, runtime: Runtime): string {
  const iam = (event.requestContext as { authorizer?: { iam?: { userId?: string; accessKey?: string } } })
    .authorizer?.iam;
  return iam?.userId ?? iam?.accessKey ?? runtime.account;
}

export const sendOperations: Record<string, RestOperation> = {
  sendMessages: async (event, runtime) => {
    const ref = refOf(event, runtime);
    const sender = { senderId: senderOf(event, runtime) };
    // One message, or {"messages": [...]} for a batch: the shape decides which schema applies.
    const raw = parseBody(event, schemas.anyObject);
    checkPriorities(raw);
    if ('messages' in raw) {
      const { messages } = check(schemas.sendBatchRequest, raw);
      const entries = messages.map((m) => ({ ...m, attributes: attributesFromRest(m.attributes) }));
      const result = await sendMessageBatch(runtime.queue, ref, entries, sender);
      return json(
        200,
        batchRepresentation({
          successful: result.successful.map(({ id, messageId, message }) => ({
            id,
            messageId,
            ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}),
            ...deliverAtOf(message),
          })),
          failed: result.failed,
        }),
      );
    }
    const message = check(schemas.sendMessageRequest, raw);
    const sent = await sendMessage(
      runtime.queue,
      ref,
      { ...message, attributes: attributesFromRest(message.attributes) },
      sender,
    );
    const { sequenceNumber } = sent.message;
    return json(201, {
      messageId: sent.messageId,
      ...(sequenceNumber ? { sequenceNumber } : {}),
      ...deliverAtOf(sent.message),
    });
  },
};

export const receiveOperations: Record<string, RestOperation> = {
  receiveMessages: async (event, runtime) => {
    const input = parseBody(event, schemas.receiveRequest, { optional: true });
    const messages = await receiveMessages(runtime.queue, refOf(event, runtime), input);
    return json(200, { messages: messages.map(messageRepresentation) });
  },

  changeVisibility: async (event, runtime) => {
    const request = parseBody(event, schemas.changeVisibilityRequest);
    const ref = refOf(event, runtime);
    if ('entries' in request)
      return json(200, batchRepresentation(await changeVisibilityBatch(runtime.queue, ref, request.entries)));
    await changeVisibility(runtime.queue, ref, request.receiptHandle, request.visibilityTimeoutSeconds);
    return noContent();
  },
};

export const deleteOperations: Record<string, RestOperation> = {
  cancelScheduled: async (event, runtime) => {
    await cancelScheduledMessage(runtime.queue, refOf(event, runtime), event.pathParameters?.messageId);
    return noContent();
  },

  deleteMessage: async (event, runtime) => {
    await deleteMessage(runtime.queue, refOf(event, runtime), event.pathParameters?.receiptHandle);
    return noContent();
  },

  deleteMessages: async (event, runtime) => {
    const { entries } = parseBody(event, schemas.deleteBatchRequest);
    return json(
      200,
      batchRepresentation(await deleteMessageBatch(runtime.queue, refOf(event, runtime), entries)),
    );
  },
};
