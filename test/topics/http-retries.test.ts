import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchEndpoints } from '../../functions/dialects/sns/http-endpoints';
import type { TableNames } from '../../functions/store/table-layout';
import { retryDelaySeconds } from '../../functions/topics/delivery-policy';
import { publish } from '../../functions/topics/publish';
import { confirmSubscription, subscribe } from '../../functions/topics/subscriptions';
import { sweepOutbox } from '../../functions/topics/sweep';
import { createTopic } from '../../functions/topics/topics';
import { dynamoClient, freshTables } from '../support/queue-fixture';
import { account, newQueue, queueArn, receiveAll, region, topicsFixture } from './fixture';
import { startEndpoint, type TestEndpoint } from './http-endpoint';

/**
 * Retries of http(s) deliveries by the subscription's delivery policy, and its dead-letter queue,
 * on DynamoDB Local with a real HTTP endpoint and a hand-moved clock: the publish tries once, the
 * outbox sweeper tries again after each delay, and a delivery whose retries are used up goes to
 * the RedrivePolicy's queue.
 */
let tables: TableNames;
let endpoint: TestEndpoint;
beforeAll(async () => {
  tables = await freshTables();
  endpoint = await startEndpoint();
});
afterAll(() => endpoint.close());

const baseUrl = 'http://127.0.0.1:9324';
const grace = 60_000;

async function confirmedHook(name: string, attributes: Record<string, string>, client?: DynamoDBClient) {
  const f = topicsFixture(tables, { endpoints: fetchEndpoints, ...(client ? { client } : {}) });
  const ref = { account, region, name };
  await createTopic(f.topics, ref);
  endpoint.answer(200);
  endpoint.requests.splice(0);
  await subscribe(f.topics, ref, {
    protocol: 'http',
    endpoint: endpoint.url,
    attributes,
    owner: account,
    baseUrl,
  });
  const { Token } = JSON.parse(endpoint.requests.splice(0)[0]!.body) as { Token: string };
  await confirmSubscription(f.topics, ref, Token);
  return { ...f, ref };
}

const sweep = (f: Awaited<ReturnType<typeof confirmedHook>>) => sweepOutbox(f.topics, { budgetMs: 10_000 });

describe('http delivery retries', () => {
  test('a failing endpoint is tried 1 + numRetries times, each after its delay, then the dead-letter queue gets it', async () => {
    const f = await confirmedHook('retry-dlq', {
      DeliveryPolicy: JSON.stringify({
        healthyRetryPolicy: { numRetries: 2, minDelayTarget: 90, maxDelayTarget: 90 },
      }),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('hook-dlq') }),
    });
    const dlq = await newQueue(f.topics, 'hook-dlq');
    endpoint.answer(500);
    const { messageId } = await publish(f.topics, f.ref, { body: 'invoice 7' }, baseUrl);
    expect(endpoint.requests.splice(0)).toHaveLength(1);

    // After the outbox grace, but before the policy's 90-s delay: not tried again.
    f.clock.advance(grace + 1);
    expect((await sweep(f)).stillPending).toBe(1);
    expect(endpoint.requests).toHaveLength(0);
    f.clock.advance(30_000);
    await sweep(f);
    const second = endpoint.requests.splice(0);
    expect(second).toHaveLength(1);
    expect(second[0]!.headers['x-amz-sns-message-id']).toBe(messageId);
    expect(await receiveAll(f.topics, dlq)).toHaveLength(0);

    // The third and last attempt fails too: retries used up, the dead-letter queue gets it as the
    // endpoint would have, and the outbox is empty.
    f.clock.advance(91_000);
    const third = await sweep(f);
    expect(endpoint.requests.splice(0)).toHaveLength(1);
    expect(third).toMatchObject({ stillPending: 0, dropped: 1 });
    const dead = await receiveAll(f.topics, dlq);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.body)).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      Message: 'invoice 7',
    });
    f.clock.advance(grace * 10);
    expect((await sweep(f)).entries).toBe(0);
    expect(endpoint.requests).toHaveLength(0);
  });

  test('a dead-letter send that is throttled is tried again alone: the endpoint is not called again', async () => {
    // DynamoDB Local never throttles: the next message write (the dead-letter send) is refused once.
    const client = dynamoClient();
    let throttleNextMessageWrite = false;
    client.middlewareStack.add(
      (next) => async (args) => {
        const item = (args.input as { Item?: { pk?: { S?: string } } }).Item;
        if (throttleNextMessageWrite && item?.pk?.S?.startsWith('m#')) {
          throttleNextMessageWrite = false;
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: {},
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleOnce' },
    );
    const f = await confirmedHook(
      'retry-dlq-throttled',
      {
        DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 0 } }),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('hook-dlq-3') }),
      },
      client,
    );
    const dlq = await newQueue(f.topics, 'hook-dlq-3');
    endpoint.answer(500);
    throttleNextMessageWrite = true;
    await publish(f.topics, f.ref, { body: 'invoice 9' }, baseUrl);
    expect(endpoint.requests.splice(0)).toHaveLength(1);
    expect(throttleNextMessageWrite).toBe(false);
    expect(await receiveAll(f.topics, dlq)).toHaveLength(0);

    // The outbox still owes the dead-letter send, and only it.
    f.clock.advance(grace + 1);
    expect(await sweep(f)).toMatchObject({ stillPending: 0, dropped: 1 });
    expect(endpoint.requests).toHaveLength(0);
    const dead = await receiveAll(f.topics, dlq);
    expect(dead.map((m) => JSON.parse(m.body).Message)).toEqual(['invoice 9']);
  });

  test('an endpoint that recovers gets the message once, raw when asked, and no dead letter', async () => {
    const f = await confirmedHook('retry-recover', {
      RawMessageDelivery: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('hook-dlq-2') }),
    });
    const dlq = await newQueue(f.topics, 'hook-dlq-2');
    endpoint.answer(503);
    await publish(f.topics, f.ref, { body: 'raw body' }, baseUrl);
    expect(endpoint.requests.splice(0)).toHaveLength(1);
    endpoint.answer(204);
    // SNS's default http policy: 3 retries, 20 s apart.
    f.clock.advance(grace + 20_000);
    await sweep(f);
    const [got] = endpoint.requests.splice(0);
    expect(got!.body).toBe('raw body');
    expect(got!.headers['x-amz-sns-rawdelivery']).toBe('true');
    f.clock.advance(grace * 10);
    expect((await sweep(f)).entries).toBe(0);
    expect(endpoint.requests).toHaveLength(0);
    expect(await receiveAll(f.topics, dlq)).toHaveLength(0);
  });

  test('retry delays follow the policy: linear and exponential from min to max', () => {
    const linear = { numRetries: 3, minDelayTarget: 10, maxDelayTarget: 30, backoffFunction: 'linear' };
    expect([1, 2, 3].map((n) => retryDelaySeconds(linear, n))).toEqual([10, 20, 30]);
    const exponential = { ...linear, minDelayTarget: 1, maxDelayTarget: 100, backoffFunction: 'exponential' };
    expect([1, 2, 3].map((n) => retryDelaySeconds(exponential, n))).toEqual([1, 10, 100]);
  });
});
