import * as z from 'zod';
import { routes } from '../../routes';
import { archiveOpenApi } from './archive-schemas';
import * as consumers from './consumer-schemas';
import type { DocumentedOperation } from './documented-operation';
import * as inspection from './inspection-schemas';
import * as redrive from './redrive-schemas';
import * as replies from './response-schemas';
import * as schemas from './schemas';
import { topicOpenApi } from './topic-schemas';

/**
 * The OpenAPI 3.1 document, generated from the route table, the request schemas the service
 * validates with and the response schemas its representations are typed by, so it describes what
 * the service accepts and answers.
 */
export type { DocumentedOperation };

export const documentedOperations: Record<string, DocumentedOperation> = {
  openApi: { summary: 'This document', responses: { 200: null } },
  createQueue: {
    summary: 'Create a queue (201), or return the same queue if it exists with the same settings (200)',
    request: schemas.createQueueRequest,
    responses: { 201: replies.queueResponse, 200: replies.queueResponse },
  },
  listQueues: {
    summary: 'List queues',
    query: schemas.listQueuesQuery,
    responses: { 200: replies.listQueuesResponse },
  },
  getQueue: {
    summary: 'Get a queue with approximate message counts and the age of its oldest visible message',
    responses: { 200: replies.queueResponse },
  },
  queueStats: {
    summary: 'Per-minute statistics: sent, received, deleted, dead-lettered, redriven, and sampled depth',
    query: inspection.statsQuery,
    responses: { 200: replies.statsResponse },
  },
  peekMessages: {
    summary: 'Look at the next messages without leasing them (receive counts and leases unchanged)',
    query: inspection.peekQuery,
    responses: { 200: replies.peekResponse },
  },
  updateQueue: {
    summary: 'Change queue settings',
    request: schemas.updateQueueRequest,
    responses: { 200: replies.queueResponse },
  },
  deleteQueue: { summary: 'Delete a queue and its messages', responses: { 204: null } },
  purgeQueue: { summary: 'Delete every message of a queue', responses: { 200: replies.purgeResponse } },
  sendMessages: {
    summary: 'Send one message (201 {messageId}) or a batch of up to 10 ({"messages": [...]}, 200)',
    request: z.union([schemas.sendMessageRequest, schemas.sendBatchRequest]),
    responses: { 201: replies.sendMessageResponse, 200: replies.batchResponse },
  },
  receiveMessages: {
    summary: 'Receive up to 10 messages under a visibility lease, optionally long polling',
    request: schemas.receiveRequest,
    responses: { 200: replies.receiveResponse },
  },
  changeVisibility: {
    summary: 'Extend or release the lease of one message (204) or a batch (200)',
    request: schemas.changeVisibilityRequest,
    responses: { 204: null, 200: replies.batchResponse },
  },
  deleteMessages: {
    summary: 'Delete a batch of messages by receipt handle',
    request: schemas.deleteBatchRequest,
    responses: { 200: replies.batchResponse },
  },
  deleteMessage: { summary: 'Delete a message by receipt handle', responses: { 204: null } },
  cancelScheduled: {
    summary: 'Cancel a scheduled message not yet deliverable',
    responses: { 204: null },
  },
  browseDeadLetters: {
    summary: 'Browse dead letters without leasing them, newest or oldest first',
    query: redrive.browseQuery,
    responses: { 200: replies.deadLettersResponse },
  },
  startRedrive: {
    summary: 'Start moving dead letters back (all, or selected by ids, an attribute or time), at a rate',
    request: redrive.startRedriveRequest,
    responses: { 202: replies.taskResponse },
  },
  listRedrives: {
    summary: 'The 10 most recent redrive tasks of this dead-letter queue',
    responses: { 200: replies.taskListResponse },
  },
  getRedrive: { summary: 'Progress of a redrive task', responses: { 200: replies.taskResponse } },
  cancelRedrive: { summary: 'Cancel a running redrive task', responses: { 200: replies.taskResponse } },
  createConsumer: {
    summary: 'Attach a consumer: batches of messages pushed to an HTTP endpoint or a Lambda function',
    request: consumers.createConsumerRequest,
    responses: { 201: replies.consumerResponse },
  },
  listConsumers: { summary: "The queue's consumers", responses: { 200: replies.consumerListResponse } },
  getConsumer: { summary: 'One consumer', responses: { 200: replies.consumerResponse } },
  updateConsumer: {
    summary: 'Change, pause (enabled: false) or resume a consumer',
    request: consumers.updateConsumerRequest,
    responses: { 200: replies.consumerResponse },
  },
  deleteConsumer: { summary: 'Detach a consumer', responses: { 204: null } },
  ...topicOpenApi,
  ...archiveOpenApi,
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });

const success = (schema: z.ZodType | null) =>
  schema
    ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(schema, 'output') } } }
    : { description: 'Success' };

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation = documentedOperations[route.operation];
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
        ...Object.fromEntries(
          Object.entries(operation.responses).map(([status, schema]) => [status, success(schema)]),
        ),
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
    components: { schemas: { Problem: jsonSchema(replies.problemResponse, 'output') } },
  };
}
