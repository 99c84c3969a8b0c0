import { QueueError } from '../../queue/errors';
import {
  changeVisibility,
  changeVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from '../../queue/operations/acknowledge';
import { describeQueueDepth, listQueuesWithDepth } from '../../queue/operations/depth';
import { createQueue, deleteQueue, listQueues, purgeQueue, updateQueue } from '../../queue/operations/queues';
import { receiveMessages } from '../../queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../queue/operations/send';
import { type HttpEvent, json, noContent } from '../http';
import type { Runtime } from '../runtime';
import { consumerOperations } from './consumer-operations';
import { inspectionOperations } from './inspection-operations';
import { openApiDocument } from './openapi';
import { check, parseBody } from './parse';
import { redriveOperations } from './redrive-operations';
import {
  attributesFromRest,
  batchRepresentation,
  messageRepresentation,
  queueRepresentation,
} from './representations';
import { type RestOperation, refOf } from './rest-operation';
import * as schemas from './schemas';

export type { RestOperation } from './rest-operation';

/** Who is calling, for the SenderId system attribute: the IAM caller when deployed. */
function senderOf(event: HttpEvent, runtime: Runtime): string {
  const iam = (event.requestContext as { authorizer?: { iam?: { userId?: string; accessKey?: string } } })
    .authorizer?.iam;
  return iam?.userId ?? iam?.accessKey ?? runtime.account;
}

/**
 * The REST operations, by the name the route table gives them. Each decodes the request, calls
 * one queue operation and shapes the reply; all rules live in the queue core.
 */
export const restOperations: Record<string, RestOperation> = {
  ...redriveOperations,
  ...inspectionOperations,
  ...consumerOperations,
  openApi: async () => json(200, openApiDocument()),

  createQueue: async (event, runtime) => {
    const { name, shardCount, tags, fifo, ...settings } = parseBody(event, schemas.createQueueRequest);
    const ref = { account: runtime.account, region: runtime.region, name };
    const { queue, created } = await createQueue(runtime.queue, { ref, settings, shardCount, tags, fifo });
    const result = json(created ? 201 : 200, queueRepresentation(queue));
    result.headers = { ...result.headers, location: `/queues/${queue.ref.name}` };
    return result;
  },

  listQueues: async (event, runtime) => {
    const { counts, ...query } = check(schemas.listQueuesQuery, event.queryStringParameters ?? {});
    const input = { account: runtime.account, region: runtime.region, ...query };
    if (counts === 'true') {
      const { queues, nextToken } = await listQueuesWithDepth(runtime.queue, input);
      return json(200, {
        queues: queues.map(({ queue, depth }) => queueRepresentation(queue, depth)),
        ...(nextToken ? { nextToken } : {}),
      });
    }
    const { queues, nextToken } = await listQueues(runtime.queue, input);
    return json(200, {
      queues: queues.map((q) => queueRepresentation(q)),
      ...(nextToken ? { nextToken } : {}),
    });
  },

  getQueue: async (event, runtime) => {
    const { queue, depth } = await describeQueueDepth(runtime.queue, refOf(event, runtime));
    return json(200, queueRepresentation(queue, depth));
  },

  updateQueue: async (event, runtime) => {
    const { tags, maxReceiveCount, deadLetterQueue, ...settings } = parseBody(
      event,
      schemas.updateQueueRequest,
    );
    const removing = maxReceiveCount === null || deadLetterQueue === null;
    if (removing && (maxReceiveCount ?? null) !== null) {
      throw new QueueError(
        'InvalidParameterValue',
        'To remove the redrive policy set both deadLetterQueue and maxReceiveCount to null',
      );
    }
    const queue = await updateQueue(runtime.queue, {
      ref: refOf(event, runtime),
      settings: {
        ...settings,
        ...(maxReceiveCount == null ? {} : { maxReceiveCount }),
        ...(deadLetterQueue == null ? {} : { deadLetterQueue }),
      },
      removeRedrivePolicy: removing,
      tags,
    });
    return json(200, queueRepresentation(queue));
  },

  deleteQueue: async (event, runtime) => {
    await deleteQueue(runtime.queue, refOf(event, runtime));
    return noContent();
  },

  purgeQueue: async (event, runtime) => {
    const { purged, removal } = await purgeQueue(runtime.queue, refOf(event, runtime));
    return json(200, { purged, removal });
  },

  sendMessages: async (event, runtime) => {
    const ref = refOf(event, runtime);
    const sender = { senderId: senderOf(event, runtime) };
    // One message, or {"messages": [...]} for a batch: the shape decides which schema applies.
    const raw = parseBody(event, schemas.anyObject);
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
            ...(message.sequenceNumber === undefined ? {} : { sequenceNumber: message.sequenceNumber }),
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
      ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
    });
  },

  receiveMessages: async (event, runtime) => {
    const input = parseBody(event, schemas.receiveRequest, { optional: true });
    const messages = await receiveMessages(runtime.queue, refOf(event, runtime), input);
    return json(200, { messages: messages.map(messageRepresentation) });
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

  changeVisibility: async (event, runtime) => {
    const request = parseBody(event, schemas.changeVisibilityRequest);
    const ref = refOf(event, runtime);
    if ('entries' in request)
      return json(200, batchRepresentation(await changeVisibilityBatch(runtime.queue, ref, request.entries)));
    await changeVisibility(runtime.queue, ref, request.receiptHandle, request.visibilityTimeoutSeconds);
    return noContent();
  },
};
