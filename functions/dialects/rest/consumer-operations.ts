import type { z } from 'zod';
import {
  createConsumer,
  deleteConsumer,
  getConsumer,
  listConsumers,
  updateConsumer,
} from '../../push/consumers';
import type { ConsumerRecord } from '../../push/model';
import { json, noContent } from '../http';
import type { PushRestOperation } from '../push/runtime';
import * as schemas from './consumer-schemas';
import { parseBody } from './parse';
import type * as replies from './response-schemas';
import { refOf } from './rest-operation';

/** REST operations on a queue's consumers (push delivery). */
const iso = (ms: number) => new Date(ms).toISOString();

function consumerRepresentation(
  consumer: ConsumerRecord,
  withSecret = false,
): z.infer<typeof replies.consumerResponse> {
  return {
    id: consumer.id,
    queue: consumer.queue.name,
    target: consumer.target,
    batchSize: consumer.batchSize,
    maximumBatchingWindowSeconds: consumer.maximumBatchingWindowSeconds,
    maximumConcurrency: consumer.maximumConcurrency,
    reportBatchItemFailures: consumer.reportBatchItemFailures,
    enabled: consumer.enabled,
    ...(withSecret && consumer.secret ? { secret: consumer.secret } : {}),
    createdAt: iso(consumer.createdAt),
    updatedAt: iso(consumer.updatedAt),
  };
}

const idOf = (event: Parameters<PushRestOperation>[0]) => event.pathParameters?.id ?? '';

export const consumerOperations: Record<string, PushRestOperation> = {
  createConsumer: async (event, runtime) => {
    const request = parseBody(event, schemas.createConsumerRequest);
    const consumer = await createConsumer(runtime.push, refOf(event, runtime), request);
    const result = json(201, consumerRepresentation(consumer, true));
    result.headers = {
      ...result.headers,
      location: `/queues/${consumer.queue.name}/consumers/${consumer.id}`,
    };
    return result;
  },
  listConsumers: async (event, runtime) => {
    const consumers = await listConsumers(runtime.push, refOf(event, runtime));
    return json(200, { consumers: consumers.map((c) => consumerRepresentation(c)) });
  },
  getConsumer: async (event, runtime) =>
    json(200, consumerRepresentation(await getConsumer(runtime.push, refOf(event, runtime), idOf(event)))),
  updateConsumer: async (event, runtime) => {
    const request = parseBody(event, schemas.updateConsumerRequest);
    const consumer = await updateConsumer(runtime.push, refOf(event, runtime), idOf(event), request);
    // A new URL target gets a secret; it is shown in this reply, as at creation.
    return json(
      200,
      consumerRepresentation(consumer, request.target !== undefined && 'url' in request.target),
    );
  },
  deleteConsumer: async (event, runtime) => {
    await deleteConsumer(runtime.push, refOf(event, runtime), idOf(event));
    return noContent();
  },
};
