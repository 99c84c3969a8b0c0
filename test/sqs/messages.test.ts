// Messages through @aws-sdk/client-sqs: send, receive, attributes, digests, acknowledgement and
// batches, including every error a client can provoke. The SDK checks the body digests itself.
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { md5OfAttributes } from '../../functions/dialects/sqs/md5';
import { type SqsTestService, sqsError, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env.close());

const newQueue = async (Attributes?: Record<string, string>) =>
  (await env.sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes }))).QueueUrl!;

const receiveAll = (
  QueueUrl: string,
  extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {},
) => env.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }));

const attributes = {
  text: { DataType: 'String', StringValue: 'héllo\r\nwörld' },
  count: { DataType: 'Number', StringValue: '-12.5e3' },
  blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 254, 255]) },
  'custom.kind': { DataType: 'String.custom', StringValue: 'x' },
  'custom.size': { DataType: 'Number.int', StringValue: '7' },
};

/** The same attributes as the core keeps them, for computing the digest independently of the service. */
const coreAttributes = (names: string[]) =>
  Object.fromEntries(
    names.map((name) => {
      const value = attributes[name as keyof typeof attributes];
      return [
        name,
        'BinaryValue' in value
          ? { dataType: value.DataType, binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
          : { dataType: value.DataType, stringValue: value.StringValue },
      ];
    }),
  );

describe('SendMessage and ReceiveMessage', () => {
  test('a message with attributes of every type round-trips with correct digests', async () => {
    const QueueUrl = await newQueue();
    const body = 'body with \r\n CRLF, "quotes", <xml> & émoji 🎉';
    const sent = await env.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: body,
        MessageAttributes: attributes,
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
        },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(coreAttributes(Object.keys(attributes))));
    expect(sent.MD5OfMessageSystemAttributes).toBe('62a56dd927315f2b2e12832b84617ea5');

    const { Messages } = await receiveAll(QueueUrl, {
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    expect(Messages).toHaveLength(1);
    const [message] = Messages!;
    expect(message!.Body).toBe(body);
    expect(message!.MessageId).toBe(sent.MessageId);
    expect(message!.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(message!.MessageAttributes).toEqual(attributes);
    expect(message!.Attributes).toMatchObject({
      SenderId: 'AKIDEXAMPLE',
      ApproximateReceiveCount: '1',
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    const sentAt = Number(message!.Attributes!.SentTimestamp);
    expect(Math.abs(sentAt - Date.now())).toBeLessThan(60_000);
    expect(Number(message!.Attributes!.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(sentAt);
  });

  test('attribute selection: names, prefix wildcards, system attribute names', async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: '0' });
    await env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: attributes }));
    const pick = async (MessageAttributeNames: string[], MessageSystemAttributeNames?: string[]) => {
      const { Messages } = await receiveAll(QueueUrl, {
        MessageAttributeNames,
        ...(MessageSystemAttributeNames ? { MessageSystemAttributeNames } : {}),
      } as never);
      return Messages![0]!;
    };
    const none = await pick([]);
    expect(none.MessageAttributes).toBeUndefined();
    expect(none.MD5OfMessageAttributes).toBeUndefined();
    expect(none.Attributes).toBeUndefined();

    const prefixed = await pick(['custom.*', 'count'], ['ApproximateReceiveCount', 'SentTimestamp']);
    expect(Object.keys(prefixed.MessageAttributes!).sort()).toEqual(['count', 'custom.kind', 'custom.size']);
    expect(prefixed.MD5OfMessageAttributes).toBe(
      md5OfAttributes(coreAttributes(['count', 'custom.kind', 'custom.size'])),
    );
    expect(Object.keys(prefixed.Attributes!).sort()).toEqual(['ApproximateReceiveCount', 'SentTimestamp']);
    expect(Number(prefixed.Attributes!.ApproximateReceiveCount)).toBeGreaterThanOrEqual(2);

    // A prefix is what precedes `.*`, without the dot: `cu.*` takes custom.kind and custom.size.
    const bare = await pick(['cu.*']);
    expect(Object.keys(bare.MessageAttributes!).sort()).toEqual(['custom.kind', 'custom.size']);

    const everything = await pick(['.*']);
    expect(Object.keys(everything.MessageAttributes!)).toHaveLength(5);

    // The older AttributeNames parameter selects system attributes too.
    // (its SDK type lists queue attribute names, but SQS takes message system attribute names there)
    const legacy = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, AttributeNames: ['SenderId' as 'All'] }),
    );
    expect(Object.keys(legacy.Messages![0]!.Attributes!)).toEqual(['SenderId']);
  });

  test('receive limits, visibility timeout, delay and long polling', async () => {
    const QueueUrl = await newQueue();
    for (let i = 0; i < 4; i++)
      await env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    const two = await receiveAll(QueueUrl, { MaxNumberOfMessages: 2, VisibilityTimeout: 0 });
    expect(two.Messages).toHaveLength(2);
    const all = await receiveAll(QueueUrl, { VisibilityTimeout: 60 });
    expect(all.Messages).toHaveLength(4);
    expect((await receiveAll(QueueUrl)).Messages ?? []).toEqual([]);

    await env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 1 }));
    expect((await receiveAll(QueueUrl)).Messages ?? []).toEqual([]);
    const started = Date.now();
    const waited = await receiveAll(QueueUrl, { WaitTimeSeconds: 5 });
    expect(waited.Messages?.[0]?.Body).toBe('delayed');
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  test('bad parameters get SQS errors', async () => {
    const QueueUrl = await newQueue({ MaximumMessageSize: '1024' });
    const fails = (promise: Promise<unknown>) => sqsError(promise).then((error) => error.name);
    expect(await fails(receiveAll(QueueUrl, { MaxNumberOfMessages: 11 }))).toBe('InvalidParameterValue');
    expect(await fails(receiveAll(QueueUrl, { WaitTimeSeconds: 21 }))).toBe('InvalidParameterValue');
    expect(await fails(receiveAll(QueueUrl, { VisibilityTimeout: 43_201 }))).toBe('InvalidParameterValue');
    expect(await fails(receiveAll(QueueUrl, { MessageSystemAttributeNames: ['Nope' as 'All'] }))).toBe(
      'InvalidAttributeName',
    );
    const send = (input: Partial<ConstructorParameters<typeof SendMessageCommand>[0]>) =>
      fails(env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', ...input })));
    expect(await send({ MessageBody: '' })).toBe('MissingParameter');
    expect(await send({ MessageBody: 'a\u0000b' })).toBe('InvalidMessageContents');
    expect(await send({ MessageBody: 'x'.repeat(1025) })).toBe('InvalidParameterValue');
    expect(await send({ DelaySeconds: 901 })).toBe('InvalidParameterValue');
    expect(await send({ MessageDeduplicationId: 'd' })).toBe('InvalidParameterValue');
    expect(await send({ MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })).toBe(
      'InvalidParameterValue',
    );
    expect(await send({ MessageAttributes: { s: { DataType: 'Strange', StringValue: 'abc' } } })).toBe(
      'InvalidParameterValue',
    );
    expect(await send({ MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'abc' } } })).toBe(
      'InvalidParameterValue',
    );
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    expect(await send({ MessageAttributes: eleven })).toBe('InvalidParameterValue');
    expect(
      await send({ MessageSystemAttributes: { Other: { DataType: 'String', StringValue: 'v' } } as never }),
    ).toBe('InvalidParameterValue');
  });

  test('a body of 1 MiB is accepted by default', async () => {
    const QueueUrl = await newQueue();
    const body = 'é'.repeat(524_288);
    await env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const { Messages } = await receiveAll(QueueUrl);
    expect(Messages![0]!.Body).toBe(body);
    const error = await sqsError(env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${body}x` })));
    expect(error.name).toBe('InvalidParameterValue');
  });
});

describe('DeleteMessage and ChangeMessageVisibility', () => {
  test('delete with any handle of the message (an earlier one too, as in SQS); forged handles are refused', async () => {
    const QueueUrl = await newQueue();
    await env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const first = (await receiveAll(QueueUrl, { VisibilityTimeout: 0 })).Messages![0]!;
    const second = (await receiveAll(QueueUrl, { VisibilityTimeout: 30 })).Messages![0]!;
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    const forged = await sqsError(
      env.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'forged' })),
    );
    expect(forged.name).toBe('ReceiptHandleIsInvalid');
    const missing = await sqsError(env.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: '' })));
    expect(missing.name).toBe('MissingParameter');
    // The earlier handle deletes the message, though another receive holds it now.
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }));
    // Deleting again succeeds: a retry after a lost reply must not fail.
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle }));
    expect((await receiveAll(QueueUrl, { VisibilityTimeout: 0 })).Messages ?? []).toEqual([]);
  });

  test('change visibility releases or extends a lease, and hides again a message whose lease ran out', async () => {
    const QueueUrl = await newQueue();
    await env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const held = (await receiveAll(QueueUrl, { VisibilityTimeout: 60 })).Messages![0]!;
    await env.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: held.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = (await receiveAll(QueueUrl, { VisibilityTimeout: 1 })).Messages![0]!;
    expect(again.MessageId).toBe(held.MessageId);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // As in SQS: the lease ran out, nobody received it since, and the change succeeds.
    await env.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: again.ReceiptHandle,
        VisibilityTimeout: 5,
      }),
    );
    expect((await receiveAll(QueueUrl)).Messages ?? []).toEqual([]);
    const range = await sqsError(
      env.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: again.ReceiptHandle,
          VisibilityTimeout: -1,
        }),
      ),
    );
    expect(range.name).toBe('InvalidParameterValue');
  });
});

describe('batches', () => {
  test('SendMessageBatch: per-entry digests and per-entry failures', async () => {
    const QueueUrl = await newQueue();
    const result = await env.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'plain', MessageBody: 'one' },
          {
            Id: 'attrs',
            MessageBody: 'two',
            MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } },
          },
          { Id: 'delayed', MessageBody: 'three', DelaySeconds: 900 },
          { Id: 'bad-delay', MessageBody: 'four', DelaySeconds: 901 },
          { Id: 'bad-body', MessageBody: 'a\u0001' },
        ],
      }),
    );
    expect(result.Successful!.map((entry) => entry.Id).sort()).toEqual(['attrs', 'delayed', 'plain']);
    expect(result.Successful!.find((entry) => entry.Id === 'attrs')!.MD5OfMessageAttributes).toBe(
      md5OfAttributes({ a: { dataType: 'String', stringValue: 'v' } }),
    );
    expect(result.Failed!.map((entry) => [entry.Id, entry.Code, entry.SenderFault]).sort()).toEqual([
      ['bad-body', 'InvalidMessageContents', true],
      ['bad-delay', 'InvalidParameterValue', true],
    ]);
    expect((await receiveAll(QueueUrl)).Messages).toHaveLength(2);
  });

  test.each([
    ['empty', [], 'EmptyBatchRequest'],
    [
      'too many',
      Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })),
      'TooManyEntriesInBatchRequest',
    ],
    [
      'duplicate ids',
      [
        { Id: 'a', MessageBody: 'x' },
        { Id: 'a', MessageBody: 'y' },
      ],
      'BatchEntryIdsNotDistinct',
    ],
    ['invalid id', [{ Id: 'not valid!', MessageBody: 'x' }], 'InvalidBatchEntryId'],
    ['id too long', [{ Id: 'x'.repeat(81), MessageBody: 'x' }], 'InvalidBatchEntryId'],
    [
      'too long',
      Array.from({ length: 2 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x'.repeat(600_000) })),
      'BatchRequestTooLong',
    ],
  ])('SendMessageBatch %s: %s', async (_, Entries, code) => {
    const QueueUrl = await newQueue();
    const error = await sqsError(env.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries })));
    expect(error.name).toBe(code);
    expect(error.Code).toBe(`AWS.SimpleQueueService.${code}`);
  });

  test('DeleteMessageBatch and ChangeMessageVisibilityBatch report each entry', async () => {
    const QueueUrl = await newQueue();
    await env.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: 3 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })),
      }),
    );
    const { Messages } = await receiveAll(QueueUrl, { VisibilityTimeout: 60 });
    expect(Messages).toHaveLength(3);
    const change = await env.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 120 },
          { Id: 'b', ReceiptHandle: 'forged', VisibilityTimeout: 10 },
          { Id: 'c', ReceiptHandle: Messages![1]!.ReceiptHandle, VisibilityTimeout: 50_000 },
        ],
      }),
    );
    expect(change.Successful!.map((entry) => entry.Id)).toEqual(['a']);
    expect(change.Failed!.map((entry) => [entry.Id, entry.Code]).sort()).toEqual([
      ['b', 'ReceiptHandleIsInvalid'],
      ['c', 'InvalidParameterValue'],
    ]);
    const removed = await env.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          ...Messages!.map((message, i) => ({ Id: `d${i}`, ReceiptHandle: message.ReceiptHandle })),
          { Id: 'bad', ReceiptHandle: 'forged' },
        ],
      }),
    );
    expect(removed.Successful!.map((entry) => entry.Id).sort()).toEqual(['d0', 'd1', 'd2']);
    expect(removed.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
    ]);
    const empty = await sqsError(env.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })));
    expect(empty.name).toBe('EmptyBatchRequest');
  });
});
