import { QueueError } from '../../queue/errors';
import { describeQueueDepth, listQueuesWithDepth } from '../../queue/operations/depth';
import { createQueue, deleteQueue, listQueues, purgeQueue, updateQueue } from '../../queue/operations/queues';
import { json, noContent } from '../http';
import { inspectionOperations } from './inspection-operations';
import { servedOpenApiDocument } from './openapi-file';
import { check, parseBody } from './parse';
import { queueRepresentation } from './representations';
import { type RestOperation, refOf } from './rest-operation';
import * as schemas from './schemas';

export type { RestOperation } from './rest-operation';

/**
 * The queues function's own operations (queue administration, statistics, peek, the OpenAPI
 * document): its bundle then carries none of the message, redrive or topic routes' code.
 */
export const queueOperations: Record<string, RestOperation> = {
  ...inspectionOperations,
  openApi: async () => json(200, await servedOpenApiDocument()),

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
};
