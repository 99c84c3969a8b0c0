import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { handler } from '../../functions/handlers/dispatcher';
import { setPushRuntime, withPush } from '../../functions/handlers/push-runtime';
import { createRuntime } from '../../functions/handlers/runtime';
import { createConsumer } from '../../functions/push/consumers';
import { ManualClock } from '../../functions/queue/clock';
import { createQueue } from '../../functions/queue/operations/queues';
import { sendMessage } from '../../functions/queue/operations/send';
import { dynamoClient, freshTables, testSecret } from '../support/queue-fixture';
import { startTargetServer, type TargetServer } from './target-server';

/**
 * Deployed push delivery: what a deployed service accepts as a consumer, and the dispatcher's
 * Lambda handler invoked as its stream and its schedule invoke it, over DynamoDB Local, delivering
 * to a real HTTP server.
 */
const client = dynamoClient();
let tables: Awaited<ReturnType<typeof freshTables>>;
let target: TargetServer;
const clock = new ManualClock(Date.now());
beforeAll(async () => {
  tables = await freshTables();
  target = await startTargetServer();
  target.answer = () => ({ status: 200 });
});
afterAll(async () => {
  await target.close();
});

const deployed = (allowedFunctionArns?: string[]) =>
  withPush(createRuntime({ client, tables, receiptHandleSecret: testSecret, clock }), {
    client,
    messagesTable: tables.messages,
    ...(allowedFunctionArns ? { allowedFunctionArns } : {}),
  });

test('deployed, consumers take https URLs and the Lambda functions the stack allows, nothing else', async () => {
  const runtime = deployed(['arn:aws:lambda:us-east-1:123456789012:function:orders-*']);
  expect(runtime.push.local).toBe(false);
  const ref = { account: runtime.account, region: runtime.region, name: 'deployed-push' };
  await createQueue(runtime.queue, { ref });
  const create = (target: unknown) => createConsumer(runtime.push, ref, { target }).catch((e) => e);
  expect(await create({ url: 'https://example.com/hook' })).toMatchObject({
    target: { url: 'https://example.com/hook' },
  });
  expect(await create({ url: 'http://example.com/hook' })).toMatchObject({
    code: 'InvalidParameterValue',
    details: { field: 'target.url' },
  });
  expect(await create({ module: 'handler.js#handler' })).toMatchObject({
    details: { field: 'target.module' },
  });
  const allowed = 'arn:aws:lambda:us-east-1:123456789012:function:orders-worker';
  expect(await create({ functionArn: allowed })).toMatchObject({ target: { functionArn: allowed } });
  const other = await create({ functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing' });
  expect(other).toMatchObject({ code: 'InvalidParameterValue', details: { field: 'target.functionArn' } });
  expect(other.message).toContain('pushFunctionArns');
  const none = deployed([]);
  expect(
    await createConsumer(none.push, ref, { target: { functionArn: allowed } }).catch((e) => e),
  ).toMatchObject({ details: { field: 'target.functionArn' } });
});

test('the dispatcher handler: a stream record of a new message delivers it; the schedule delivers what became visible later', async () => {
  // Consumers made as the local service makes them (http targets), then the deployed handler runs.
  const local = withPush(createRuntime({ client, tables, receiptHandleSecret: testSecret, clock }), {
    client,
    messagesTable: tables.messages,
    localModules: async () => undefined,
  });
  setPushRuntime(local);
  const ref = { account: local.account, region: local.region, name: 'dispatched' };
  const quiet = { ...ref, name: 'dispatched-quiet' };
  await createQueue(local.queue, { ref });
  await createQueue(local.queue, { ref: quiet });
  await createConsumer(local.push, ref, { target: { url: target.url } });
  await createConsumer(local.push, quiet, { target: { url: target.url } });
  const queue = (await local.queue.queues.find(ref))!;
  const sent = await sendMessage(local.queue, ref, { body: 'now' }, { senderId: 'test' });
  await sendMessage(local.queue, quiet, { body: 'quiet' }, { senderId: 'test' });
  await sendMessage(local.queue, ref, { body: 'later', delaySeconds: 30 }, { senderId: 'test' });

  // The stream record DynamoDB would emit: the stored item itself, as an INSERT.
  const item = await client.send(
    new GetItemCommand({
      TableName: tables.messages,
      Key: { pk: { S: `m#${queue.id}#${sent.messageId}` }, sk: { S: 'm' } },
    }),
  );
  expect(item.Item).toBeDefined();
  const record = {
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: item.Item!.pk!, sk: item.Item!.sk! }, NewImage: item.Item },
  };
  const fromStream = await handler(
    { Records: [record as never] },
    { getRemainingTimeInMillis: () => 20_000 },
  );
  expect(fromStream).toMatchObject({ delivered: 1, failedBatches: 0 });
  // Only the named queue's consumer ran: the other queue's message waits for the schedule.
  expect(target.deliveries.flatMap((d) => d.event.Records.map((r) => r.body))).toEqual(['now']);

  // A lease update or a delete is no new message: nothing to do.
  expect(await handler({ Records: [{ ...record, eventName: 'MODIFY' } as never] })).toMatchObject({
    batches: 0,
  });

  clock.advance(31_000);
  const scheduled = await handler(undefined, { getRemainingTimeInMillis: () => 17_000 });
  expect(scheduled).toMatchObject({ delivered: 2, failedBatches: 0, oldestUndeliveredSeconds: 0 });
  expect(target.deliveries.flatMap((d) => d.event.Records.map((r) => r.body)).sort()).toEqual([
    'later',
    'now',
    'quiet',
  ]);
});
