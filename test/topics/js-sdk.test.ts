import { createVerify } from 'node:crypto';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsTestService, startSqsService, uniqueName } from '../sqs/service';
import { createQueue, drain, snsClient } from './support';

/** @aws-sdk/client-sns against the local service: topics fan out to queues through filter policies. */
let service: SqsTestService;
let sns: SNSClient;

beforeAll(async () => {
  service = await startSqsService();
  sns = snsClient(service.url);
});
afterAll(async () => {
  sns.destroy();
  await service.close();
});

describe('@aws-sdk/client-sns', () => {
  it('creates a topic, subscribes two queues with filter policies, and each gets only its messages', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('orders') }));
    expect(TopicArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:orders-/);
    const eu = await createQueue(service.sqs, uniqueName('eu'));
    const big = await createQueue(service.sqs, uniqueName('big'));
    const all = await createQueue(service.sqs, uniqueName('all'));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: eu.arn,
        Attributes: { FilterPolicy: JSON.stringify({ region: ['eu-west-1', { prefix: 'eu-' }] }) },
      }),
    );
    const { SubscriptionArn: bigSub } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: big.arn,
        ReturnSubscriptionArn: true,
        Attributes: {
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify({ order: { total: [{ numeric: ['>=', 100] }] } }),
          RawMessageDelivery: 'true',
        },
      }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: all.arn }));

    await sns.send(
      new PublishCommand({
        TopicArn,
        Subject: 'small eu order',
        Message: JSON.stringify({ order: { total: 5 } }),
        MessageAttributes: { region: { DataType: 'String', StringValue: 'eu-central-1' } },
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: JSON.stringify({ order: { total: 250 } }),
        MessageAttributes: {
          region: { DataType: 'String', StringValue: 'us-east-1' },
          priority: { DataType: 'Number', StringValue: '7' },
        },
      }),
    );

    const euMessages = await drain(service.sqs, eu.url);
    expect(euMessages).toHaveLength(1);
    const envelope = JSON.parse(euMessages[0]!.Body!);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn,
      Subject: 'small eu order',
      Message: JSON.stringify({ order: { total: 5 } }),
      SignatureVersion: '1',
      MessageAttributes: { region: { Type: 'String', Value: 'eu-central-1' } },
    });
    expect(Object.keys(envelope)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(envelope.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(envelope.UnsubscribeURL).toContain('Action=Unsubscribe&SubscriptionArn=arn:aws:sns:');
    // The signature verifies with the service's key over SNS's string to sign.
    const signed = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      .map((name) => `${name}\n${envelope[name]}\n`)
      .join('');
    const publicKey = (await service.service.runtime.topics.signing()).privateKey;
    expect(createVerify('RSA-SHA1').update(signed).verify(publicKey, envelope.Signature, 'base64')).toBe(
      true,
    );

    const bigMessages = await drain(service.sqs, big.url);
    expect(bigMessages).toHaveLength(1);
    // Raw delivery: the body itself, attributes as SQS message attributes.
    expect(bigMessages[0]!.Body).toBe(JSON.stringify({ order: { total: 250 } }));
    expect(bigMessages[0]!.MessageAttributes).toEqual({
      region: { DataType: 'String', StringValue: 'us-east-1' },
      priority: { DataType: 'Number', StringValue: '7' },
    });

    expect(await drain(service.sqs, all.url)).toHaveLength(2);

    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: bigSub }));
    expect(Attributes).toMatchObject({
      Protocol: 'sqs',
      Endpoint: big.arn,
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      PendingConfirmation: 'false',
      TopicArn,
    });
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(listed.Subscriptions?.map((s) => s.Endpoint).sort()).toEqual([eu.arn, big.arn, all.arn].sort());
  });

  it('publishes a batch; each entry is routed by its own attributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('batch') }));
    const red = await createQueue(service.sqs, uniqueName('red'));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: red.arn,
        Attributes: { FilterPolicy: JSON.stringify({ colour: ['red'] }), RawMessageDelivery: 'true' },
      }),
    );
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: ['red', 'blue', 'red', 'green'].map((colour, i) => ({
          Id: `e${i}`,
          Message: `${colour}-${i}`,
          MessageAttributes: { colour: { DataType: 'String', StringValue: colour } },
        })),
      }),
    );
    expect(result.Successful?.map((s) => s.Id).sort()).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(result.Failed ?? []).toEqual([]);
    const bodies = (await drain(service.sqs, red.url)).map((m) => m.Body).sort();
    expect(bodies).toEqual(['red-0', 'red-2']);
  });

  it('answers errors as SNS does', async () => {
    const missing = 'arn:aws:sns:us-east-1:123456789012:no-such-topic';
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: missing }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Topic does not exist',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(sns.send(new CreateTopicCommand({ Name: 'bad name!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Topic Name',
    });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('errors') }));
    const queue = await createQueue(service.sqs, uniqueName('q'));
    await expect(
      sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: { FilterPolicy: JSON.stringify({ key: [{ suffix: 100 }] }) },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string',
    });
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, ReturnSubscriptionArn: true }),
    );
    await expect(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'FilterPolicyScope',
          AttributeValue: 'RandomValue',
        }),
      ),
    ).rejects.toMatchObject({
      message:
        'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes',
    });
    await expect(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('not supported by this service'),
    });
    await expect(
      sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'hi' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).not.toContain(TopicArn);
  });
});
