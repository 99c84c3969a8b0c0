// Queue administration through @aws-sdk/client-sqs (AWS JSON 1.0) against the local service.
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountId, type SqsTestService, sqsClient, sqsError, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env.close());

const create = async (name: string, Attributes?: Record<string, string>) =>
  (await env.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;

describe('CreateQueue', () => {
  test('returns a queue URL on the request host, and the same URL for the same attributes', async () => {
    const name = uniqueName();
    const url = await create(name, { VisibilityTimeout: '45' });
    expect(url).toBe(env.queueUrl(name).replace('127.0.0.1', '127.0.0.1'));
    expect(await create(name, { VisibilityTimeout: '45' })).toBe(url);
    // Only the attributes given are compared, as in SQS.
    expect(await create(name)).toBe(url);
  });

  test('different attributes for an existing name: QueueNameExists / QueueAlreadyExists', async () => {
    const name = uniqueName();
    await create(name, { DelaySeconds: '1' });
    const error = await sqsError(create(name, { DelaySeconds: '2' }));
    expect(error).toBeInstanceOf(QueueNameExists);
    // JSON SDKs read the Query code from x-amzn-query-error and map it to the modeled error.
    expect(error.name).toBe('QueueNameExists');
    expect(error.Code).toBe('QueueAlreadyExists');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  test.each([
    [{ VisibilityTimeout: '43201' }, 'InvalidAttributeValue'],
    [{ MessageRetentionPeriod: '59' }, 'InvalidAttributeValue'],
    [{ MaximumMessageSize: '1023' }, 'InvalidAttributeValue'],
    [{ DelaySeconds: 'soon' }, 'InvalidAttributeValue'],
    [{ ReceiveMessageWaitTimeSeconds: '21' }, 'InvalidAttributeValue'],
    [{ Colour: 'blue' }, 'InvalidAttributeName'],
    [{ QueueArn: 'arn:aws:sqs:us-east-1:123456789012:x' }, 'InvalidAttributeName'],
    [{ ContentBasedDeduplication: 'true' }, 'InvalidAttributeName'],
    [{ FifoQueue: 'true' }, 'InvalidAttributeName'],
    [{ FifoQueue: 'false' }, 'InvalidAttributeName'],
    [{ Policy: 'not json' }, 'InvalidAttributeValue'],
    [{ RedrivePolicy: '{"maxReceiveCount":3}' }, 'InvalidParameterValue'],
  ])('bad attributes %o: %s', async (Attributes, code) => {
    const error = await sqsError(create(uniqueName(), Attributes));
    expect(error.name).toBe(code);
    expect(error.message).toMatch(Object.keys(Attributes)[0]!);
  });

  test('bad names, and FIFO names without FifoQueue, are refused with SQS errors', async () => {
    expect((await sqsError(create('bad name!'))).name).toBe('InvalidParameterValue');
    expect((await sqsError(create('x'.repeat(81)))).name).toBe('InvalidParameterValue');
    const fifo = await sqsError(create('orders.fifo'));
    expect(fifo.name).toBe('InvalidParameterValue');
    // As in SQS, an empty name is an invalid one, not a missing one.
    expect((await sqsError(env.sqs.send(new CreateQueueCommand({ QueueName: '' })))).name).toBe(
      'InvalidParameterValue',
    );
  });
});

describe('GetQueueUrl, ListQueues, DeleteQueue', () => {
  test('GetQueueUrl finds a queue; a missing one is QueueDoesNotExist', async () => {
    const name = uniqueName();
    const url = await create(name);
    expect((await env.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
    const error = await sqsError(env.sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName() })));
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    const other = await sqsError(
      env.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '999999999999' })),
    );
    expect(other).toBeInstanceOf(QueueDoesNotExist);
  });

  test('ListQueues filters by prefix and pages with MaxResults/NextToken', async () => {
    const prefix = uniqueName('list');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const name of names) await create(name);
    const all = await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(all.QueueUrls).toEqual(names.map((name) => env.queueUrl(name)));
    expect(all.NextToken).toBeUndefined();
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await env.sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }),
      );
      expect(page.QueueUrls?.length ?? 0).toBeLessThanOrEqual(2);
      seen.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(all.QueueUrls);
    const none = await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: uniqueName('none') }));
    expect(none.QueueUrls ?? []).toEqual([]);
    const bad = await sqsError(env.sqs.send(new ListQueuesCommand({ MaxResults: 1001 })));
    expect(bad.name).toBe('InvalidParameterValue');
  });

  test('queues are namespaced by the region of the signature', async () => {
    const name = uniqueName();
    await create(name);
    const west = sqsClient(env.url, 'eu-west-1');
    try {
      const error = await sqsError(west.send(new GetQueueUrlCommand({ QueueName: name })));
      expect(error).toBeInstanceOf(QueueDoesNotExist);
      const url = (await west.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      const arn = await west.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
      expect(arn.Attributes?.QueueArn).toBe(`arn:aws:sqs:eu-west-1:${accountId}:${name}`);
    } finally {
      west.destroy();
    }
  });

  test('DeleteQueue removes the queue; acting on it afterwards is QueueDoesNotExist', async () => {
    const url = await create(uniqueName());
    await env.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await sqsError(env.sqs.send(new DeleteQueueCommand({ QueueUrl: url })))).toBeInstanceOf(
      QueueDoesNotExist,
    );
    expect(
      await sqsError(env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))),
    ).toBeInstanceOf(QueueDoesNotExist);
  });

  test('a queue URL of another account, or with no /<account>/<name> path, names no queue here', async () => {
    const name = uniqueName();
    await create(name);
    const error = await sqsError(
      env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${env.url}/999999999999/${name}` })),
    );
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    const malformed = await sqsError(env.sqs.send(new PurgeQueueCommand({ QueueUrl: `${env.url}/${name}` })));
    expect(malformed).toBeInstanceOf(QueueDoesNotExist);
  });
});

describe('queue attributes', () => {
  test('defaults, read-only attributes and counts, in SQS units', async () => {
    const name = uniqueName();
    const before = Math.floor(Date.now() / 1000);
    const url = await create(name);
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'visible' }));
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 }));
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'taken' }));
    await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    const { Attributes } = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:${accountId}:${name}`,
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '1',
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect(Number(Attributes!.CreatedTimestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(Attributes!.CreatedTimestamp)).toBeLessThan(before + 60);
    expect(Attributes!.RedrivePolicy).toBeUndefined();
  });

  test('selected names only; none asked, none given; unknown names refused', async () => {
    const url = await create(uniqueName());
    const some = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }),
    );
    expect(some.Attributes).toEqual({ VisibilityTimeout: '30', DelaySeconds: '0' });
    const none = await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url }));
    expect(none.Attributes ?? {}).toEqual({});
    const error = await sqsError(
      env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as 'All'] })),
    );
    expect(error.name).toBe('InvalidAttributeName');
  });

  test('SetQueueAttributes changes settings, stores policies and the redrive policy', async () => {
    const dlqName = uniqueName('dlq');
    const dlq = await create(dlqName);
    const url = await create(uniqueName());
    const redrive = JSON.stringify({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${dlqName}`,
      maxReceiveCount: 3,
    });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    await env.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          VisibilityTimeout: '120',
          MessageRetentionPeriod: '600',
          MaximumMessageSize: '2048',
          ReceiveMessageWaitTimeSeconds: '2',
          RedrivePolicy: redrive,
          Policy: policy,
          KmsMasterKeyId: 'alias/aws/sqs',
          KmsDataKeyReusePeriodSeconds: '600',
        },
      }),
    );
    const { Attributes } = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      VisibilityTimeout: '120',
      MessageRetentionPeriod: '600',
      MaximumMessageSize: '2048',
      ReceiveMessageWaitTimeSeconds: '2',
      Policy: policy,
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '600',
    });
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual(JSON.parse(redrive));
    const sources = await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(sources.queueUrls).toEqual([url]);

    // An empty RedrivePolicy removes it.
    await env.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: '' } }));
    const after = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }),
    );
    expect(after.Attributes?.RedrivePolicy).toBeUndefined();
    expect((await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual(
      [],
    );
  });

  test('SetQueueAttributes refuses bad values, read-only names and missing dead-letter queues', async () => {
    const url = await create(uniqueName());
    const set = (Attributes: Record<string, string>) =>
      sqsError(env.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes })));
    expect((await set({ VisibilityTimeout: '-1' })).name).toBe('InvalidAttributeValue');
    expect((await set({ ApproximateNumberOfMessages: '3' })).name).toBe('InvalidAttributeName');
    const missing = await set({
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:${uniqueName('nope')}`,
        maxReceiveCount: 2,
      }),
    });
    expect(missing.name).toBe('InvalidParameterValue');
    const tooMany = await set({
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${accountId}:x`,
        maxReceiveCount: 1001,
      }),
    });
    expect(tooMany.name).toBe('InvalidParameterValue');
  });
});

describe('PurgeQueue, tags, permissions, unsupported actions', () => {
  test('PurgeQueue removes every message', async () => {
    const url = await create(uniqueName());
    for (let i = 0; i < 3; i++)
      await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
    await env.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const got = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages ?? []).toEqual([]);
  });

  test('TagQueue, ListQueueTags, UntagQueue; tags given at creation', async () => {
    const name = uniqueName();
    const url = (await env.sqs.send(new CreateQueueCommand({ QueueName: name, tags: { team: 'a' } })))
      .QueueUrl!;
    await env.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { env: 'test', owner: 'me' } }));
    expect((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({
      team: 'a',
      env: 'test',
      owner: 'me',
    });
    await env.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['team', 'owner'] }));
    expect((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ env: 'test' });
    await env.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['env'] }));
    expect((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {}).toEqual({});
  });

  test('AddPermission and RemovePermission edit the Policy attribute', async () => {
    const name = uniqueName();
    const url = await create(name);
    await env.sqs.send(
      new AddPermissionCommand({
        QueueUrl: url,
        Label: 'send-from-partner',
        AWSAccountIds: ['111122223333'],
        Actions: ['SendMessage', 'GetQueueUrl'],
      }),
    );
    const policyOf = async () =>
      (await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] })))
        .Attributes?.Policy;
    const policy = JSON.parse((await policyOf())!);
    expect(policy.Statement).toEqual([
      {
        Sid: 'send-from-partner',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: ['SQS:SendMessage', 'SQS:GetQueueUrl'],
        Resource: `arn:aws:sqs:us-east-1:${accountId}:${name}`,
      },
    ]);
    const again = await sqsError(
      env.sqs.send(
        new AddPermissionCommand({
          QueueUrl: url,
          Label: 'send-from-partner',
          AWSAccountIds: ['1'],
          Actions: ['*'],
        }),
      ),
    );
    expect(again.name).toBe('InvalidParameterValue');
    const overLimit = await sqsError(
      env.sqs.send(
        new AddPermissionCommand({
          QueueUrl: url,
          Label: 'many',
          AWSAccountIds: ['111122223333'],
          Actions: [
            'SendMessage',
            'ReceiveMessage',
            'DeleteMessage',
            'GetQueueUrl',
            'GetQueueAttributes',
            'PurgeQueue',
            'ListQueueTags',
            'ChangeMessageVisibility',
          ],
        }),
      ),
    );
    expect(overLimit.name).toBe('OverLimit');
    expect(overLimit.$metadata).toMatchObject({ httpStatusCode: 403 });
    await env.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'send-from-partner' }));
    expect(await policyOf()).toBeUndefined();
    const unknown = await sqsError(
      env.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'nope' })),
    );
    expect(unknown.name).toBe('InvalidParameterValue');
  });

  test('unknown JSON operations and malformed bodies get SQS errors, not 500s', async () => {
    const post = (target: string, body: string) =>
      fetch(`${env.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
        body,
      });
    const unknown = await post('AmazonSQS.Explode', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      __type: 'com.amazon.coral.service#UnknownOperationException',
    });
    const malformed = await post('AmazonSQS.ListQueues', '{nope');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).__type).toMatch(/SerializationException/);
    const missing = await post('AmazonSQS.GetQueueUrl', '{}');
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    const wrongType = await post('AmazonSQS.GetQueueUrl', '{"QueueName": 5}');
    expect(wrongType.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    const notFound = await post('AmazonSQS.GetQueueUrl', '{"QueueName": "no-such-queue"}');
    expect(notFound.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await notFound.json()).toMatchObject({ __type: 'com.amazonaws.sqs#QueueDoesNotExist' });
  });
});
