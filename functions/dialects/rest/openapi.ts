import * as z from 'zod';
import { routes } from '../../routes';
import * as inspection from './inspection-schemas';
import * as redrive from './redrive-schemas';
import * as schemas from './schemas';
import { topicOpenApi } from './topic-schemas';

/**
 * The OpenAPI 3.1 document, generated from the route table and the request schemas the service
 * validates with, so it describes what the service accepts.
 */
type Operation = {
  summary: string;
  request?: z.ZodType;
  query?: z.ZodObject;
  response: [number, z.ZodType | null];
};

const operations: Record<string, Operation> = {
  openApi: { summary: 'This document', response: [200, null] },
  createQueue: {
    summary: 'Create a queue (201), or return the same queue if it exists with the same settings (200)',
    request: schemas.createQueueRequest,
    response: [201, schemas.queueResponse],
  },
  listQueues: {
    summary: 'List queues',
    query: schemas.listQueuesQuery,
    response: [200, schemas.listQueuesResponse],
  },
  getQueue: {
    summary: 'Get a queue with approximate message counts and the age of its oldest visible message',
    response: [200, schemas.queueResponse],
  },
  queueStats: {
    summary: 'Per-minute statistics: sent, received, deleted, dead-lettered, redriven, and sampled depth',
    query: inspection.statsQuery,
    response: [200, inspection.statsResponse],
  },
  peekMessages: {
    summary: 'Look at the next messages without leasing them (receive counts and leases unchanged)',
    query: inspection.peekQuery,
    response: [200, inspection.peekResponse],
  },
  updateQueue: {
    summary: 'Change queue settings',
    request: schemas.updateQueueRequest,
    response: [200, schemas.queueResponse],
  },
  deleteQueue: { summary: 'Delete a queue and its messages', response: [204, null] },
  purgeQueue: { summary: 'Delete every message of a queue', response: [200, schemas.purgeResponse] },
  sendMessages: {
    summary: 'Send one message (201 {messageId}) or a batch of up to 10 ({"messages": [...]}, 200)',
    request: z.union([schemas.sendMessageRequest, schemas.sendBatchRequest]),
    response: [201, schemas.sendMessageResponse],
  },
  receiveMessages: {
    summary: 'Receive up to 10 messages under a visibility lease, optionally long polling',
    request: schemas.receiveRequest,
    response: [200, schemas.receiveResponse],
  },
  changeVisibility: {
    summary: 'Extend or release the lease of one message (204) or a batch (200)',
    request: schemas.changeVisibilityRequest,
    response: [204, null],
  },
  deleteMessages: {
    summary: 'Delete a batch of messages by receipt handle',
    request: schemas.deleteBatchRequest,
    response: [200, schemas.batchResponse],
  },
  deleteMessage: { summary: 'Delete a message by receipt handle', response: [204, null] },
  browseDeadLetters: {
    summary: 'Browse dead letters without leasing them, newest or oldest first',
    query: redrive.browseQuery,
    response: [200, redrive.deadLettersResponse],
  },
  startRedrive: {
    summary: 'Start moving dead letters back (all, or selected by ids, an attribute or time), at a rate',
    request: redrive.startRedriveRequest,
    response: [202, redrive.taskResponse],
  },
  listRedrives: {
    summary: 'The 10 most recent redrive tasks of this dead-letter queue',
    response: [200, null],
  },
  getRedrive: { summary: 'Progress of a redrive task', response: [200, redrive.taskResponse] },
  cancelRedrive: { summary: 'Cancel a running redrive task', response: [200, redrive.taskResponse] },
  ...(topicOpenApi as unknown as Record<string, Operation>),
};

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation = operations[route.operation];
    if (!operation) continue;
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (operation.query) {
      for (const [name, schema] of Object.entries(operation.query.shape)) {
        parameters.push({
          name,
          in: 'query',
          required: false,
          schema: jsonSchema(schema as z.ZodType) as { type: string },
        });
      }
    }
    const [status, response] = operation.response;
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operation,
      summary: operation.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.request
        ? {
            requestBody: {
              required: !['receiveMessages', 'startRedrive'].includes(route.operation),
              content: { 'application/json': { schema: jsonSchema(operation.request) } },
            },
          }
        : {}),
      responses: {
        [status]: response
          ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(response) } } }
          : { description: 'Success' },
        '4XX': {
          description: 'The request was refused',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
        '5XX': {
          description: 'Retryable failure',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Serverless queue REST API', version: '1.0.0' },
    paths,
    components: { schemas: { Problem: jsonSchema(schemas.problem) } },
  };
}
