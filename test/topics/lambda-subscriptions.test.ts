import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { lambdaFunctions } from '../../functions/dialects/sns/function-invoker';
import type { TableNames } from '../../functions/store/table-layout';
import { publish } from '../../functions/topics/publish';
import { subscribe } from '../../functions/topics/subscriptions';
import { sweepOutbox } from '../../functions/topics/sweep';
import { createTopic } from '../../functions/topics/topics';
import { freshTables } from '../support/queue-fixture';
import { account, region, topicsFixture } from './fixture';

/**
 * lambda subscriptions, on DynamoDB Local, through the real invoker with Lambda's API mocked (the
 * one part DynamoDB Local cannot stand in for): SNS's event, an asynchronous invoke, a throttled
 * invoke retried from the outbox, a refused one dropped.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});
const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const fn = 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler';
const baseUrl = 'https://queue.example.com';

async function lambdaTopic(name: string) {
  const f = topicsFixture(tables, { functions: lambdaFunctions() });
  const ref = { account, region, name };
  await createTopic(f.topics, ref);
  const subscription = await subscribe(f.topics, ref, { protocol: 'lambda', endpoint: fn, owner: account });
  expect(subscription.pendingConfirmation).toBe(false);
  return { ...f, ref, subscription };
}

const sentEvents = () =>
  lambda.commandCalls(InvokeCommand).map((call) => {
    expect(call.args[0].input).toMatchObject({ FunctionName: fn, InvocationType: 'Event' });
    return JSON.parse(Buffer.from(call.args[0].input.Payload as Uint8Array).toString('utf8'));
  });

describe('lambda subscriptions', () => {
  test("the function is invoked asynchronously with SNS's event", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const f = await lambdaTopic('to-lambda');
    const { messageId } = await publish(
      f.topics,
      f.ref,
      { body: 'order 9', attributes: { kind: { dataType: 'String', stringValue: 'paid' } } },
      baseUrl,
    );
    const [event] = sentEvents();
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `arn:aws:sns:${region}:${account}:to-lambda:${f.subscription.id}`,
      Sns: {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: `arn:aws:sns:${region}:${account}:to-lambda`,
        Subject: null,
        Message: 'order 9',
        SignatureVersion: '1',
        SigningCertUrl: `${baseUrl}/sns/signing-certificate.pem`,
        MessageAttributes: { kind: { Type: 'String', Value: 'paid' } },
      },
    });
    expect(event.Records[0].Sns.UnsubscribeUrl).toContain('Action=Unsubscribe');
    expect(event.Records[0].Sns.SigningCertURL).toBeUndefined();
    // Delivered: nothing left in the outbox.
    f.clock.advance(120_000);
    expect((await sweepOutbox(f.topics, { budgetMs: 5_000 })).entries).toBe(0);
  });

  test('a throttled invoke is tried again from the outbox; a refused one is dropped', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    lambda.on(InvokeCommand).rejectsOnce(throttled).resolves({ StatusCode: 202 });
    const f = await lambdaTopic('to-lambda-retry');
    await publish(f.topics, f.ref, { body: 'retry me' }, baseUrl);
    expect(sentEvents()).toHaveLength(1);
    f.clock.advance(60_000 + 20_000);
    const swept = await sweepOutbox(f.topics, { budgetMs: 5_000 });
    expect(swept).toMatchObject({ delivered: 1, stillPending: 0 });
    expect(sentEvents().map((e) => e.Records[0].Sns.Message)).toEqual(['retry me', 'retry me']);

    lambda.reset();
    const gone = Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
    lambda.on(InvokeCommand).rejects(gone);
    await publish(f.topics, f.ref, { body: 'nobody there' }, baseUrl);
    f.clock.advance(10 * 60_000);
    expect((await sweepOutbox(f.topics, { budgetMs: 5_000 })).entries).toBe(0);
    expect(sentEvents()).toHaveLength(1);
  });
});
