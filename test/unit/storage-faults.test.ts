import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { HttpEvent } from '../../functions/dialects/http';
import { handler as receiveHandler } from '../../functions/handlers/receive';
import { createRuntime, setRuntime } from '../../functions/handlers/runtime';
import { handler as sendHandler } from '../../functions/handlers/send';
import { queueToItem } from '../../functions/store/items';
import { tableNames } from '../../functions/store/table-layout';

/**
 * Faults DynamoDB Local cannot produce (throttling, timeouts, conflicts, unprocessed batch
 * items), injected with aws-sdk-client-mock: each must reach the caller as a retryable error in
 * its dialect, never a 500, and must not log message bodies.
 */
const dynamo = mockClient(DynamoDBClient);
const queueItem = queueToItem({
  ref: { account: '000000000000', region: 'us-east-1', name: 'faulty' },
  id: 'qid',
  shardCount: 1,
  visibilityTimeoutSeconds: 30,
  retentionSeconds: 345_600,
  delaySeconds: 0,
  maxMessageBytes: 1_048_576,
  receiveWaitSeconds: 0,
  createdAt: 0,
  updatedAt: 0,
  tags: {},
  extraAttributes: {},
});

function event(routeKey: string, body: unknown): HttpEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/queues/faulty/messages',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { name: 'faulty' },
    requestContext: { requestId: 'req-1', http: { method: 'POST' } },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

const invoke = (h: typeof sendHandler, e: HttpEvent) =>
  h(e, {} as never) as Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
const send = (body: unknown) => invoke(sendHandler, event('POST /queues/{name}/messages', body));
const receive = () => invoke(receiveHandler, event('POST /queues/{name}/messages/receive', {}));

let logged: string[];
beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({ Item: queueItem });
  setRuntime(
    createRuntime({
      client: new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }),
      tables: tableNames(),
      receiptHandleSecret: 'x'.repeat(32),
      queueCacheMs: 0,
    }),
  );
  logged = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(String(line)));
});
afterEach(() => vi.restoreAllMocks());

describe('storage faults reach the caller as retryable errors', () => {
  test('throttling becomes 429 RequestThrottled with Retry-After', async () => {
    dynamo
      .on(PutItemCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const response = await send({ body: 'secret body text' });
    expect(response.statusCode).toBe(429);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'RequestThrottled' });
    expect(response.headers['retry-after']).toBe('1');
    expect(logged.join('\n')).not.toContain('secret body text');
  });

  test('a timeout becomes 503 ServiceUnavailable', async () => {
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    dynamo.on(QueryCommand).rejects(timeout);
    const response = await receive();
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'ServiceUnavailable' });
    expect(logged.some((line) => line.includes('ServiceUnavailable'))).toBe(true);
  });

  test('a transaction conflict on a lease becomes 503, not a lost or doubled message', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: { S: 'm#qid#m1' } }] });
    dynamo
      .on(UpdateItemCommand)
      .rejects(Object.assign(new Error('conflict'), { name: 'TransactionConflictException' }));
    const response = await receive();
    expect(response.statusCode).toBe(503);
  });

  test('a batch whose writes fail is reported per entry, as retryable', async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalServerError' }));
    const response = await send({
      messages: [
        { id: 'a', body: 'x' },
        { id: 'b', body: 'y' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.successful).toEqual([]);
    expect(
      body.failed.map((f: { id: string; code: string; senderFault: boolean }) => [
        f.id,
        f.code,
        f.senderFault,
      ]),
    ).toEqual([
      ['a', 'ServiceUnavailable', false],
      ['b', 'ServiceUnavailable', false],
    ]);
  });

  test('large-body parts DynamoDB leaves unprocessed are retried, then the message is reported failed', async () => {
    dynamo.on(BatchWriteItemCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    const response = await send({ messages: [{ id: 'big', body: 'x'.repeat(5_000) }] });
    const body = JSON.parse(response.body);
    expect(body.failed.map((f: { id: string }) => f.id)).toEqual(['big']);
    expect(dynamo.commandCalls(BatchWriteItemCommand).length).toBe(5);
    expect(dynamo.commandCalls(PutItemCommand).length).toBe(0);
  });

  test('an unexpected error is a plain 500 problem, logged without the request body', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'broken' } } });
    const response = await send({ body: 'private payload' });
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'InternalError',
      detail: expect.not.stringContaining('TypeError'),
    });
    expect(logged.join('\n')).not.toContain('private payload');
  });
});
