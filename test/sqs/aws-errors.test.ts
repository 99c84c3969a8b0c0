// SQS's error codes, HTTP statuses and texts (issue 14), through boto3 in both protocols. The
// texts are AWS's, as recorded against AWS (see the README's SQS section for the sources).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Boto, type BotoError, hasQueryBoto, type SqsProtocolName, startBoto } from './boto';
import { type SqsTestService, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env?.close());

const protocols: SqsProtocolName[] = hasQueryBoto ? ['json', 'query'] : ['json'];
const invalid = (message: string): Partial<BotoError> => ({
  code: 'InvalidParameterValue',
  status: 400,
  message,
});

describe.each(protocols)('%s protocol', (protocol) => {
  let sqs: Boto;
  beforeAll(async () => {
    sqs = await startBoto(protocol, env.url);
  });
  afterAll(() => sqs?.close());

  const create = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.ok('CreateQueue', { QueueName: name, Attributes: attributes })).QueueUrl as string;

  test('unknown queue: NonExistentQueue, 400, with the text of each protocol', async () => {
    const error = await sqs.error('SendMessage', {
      QueueUrl: `${env.url}/123456789012/${uniqueName('none')}`,
      MessageBody: 'x',
    });
    expect(error).toEqual(
      expect.objectContaining({
        code: 'AWS.SimpleQueueService.NonExistentQueue',
        status: 400,
        message:
          protocol === 'json'
            ? 'The specified queue does not exist.'
            : 'The specified queue does not exist for this wsdl version.',
      }),
    );
  });

  test('queue names, attributes and existing queues', async () => {
    const nameText = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
    for (const QueueName of ['', 'bad name!', 'x'.repeat(81), 'plain.fifo']) {
      expect(await sqs.error('CreateQueue', { QueueName })).toMatchObject(invalid(nameText));
    }
    const name = uniqueName('attr');
    expect(
      await sqs.error('CreateQueue', { QueueName: name, Attributes: { VisibilityTimeout: '43201' } }),
    ).toMatchObject({
      code: 'InvalidAttributeValue',
      status: 400,
      message: 'Invalid value for the parameter VisibilityTimeout.',
    });
    await create(name, { DelaySeconds: '5' });
    expect(
      await sqs.error('CreateQueue', { QueueName: name, Attributes: { DelaySeconds: '6' } }),
    ).toMatchObject({
      code: 'QueueAlreadyExists',
      status: 400,
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    });
  });

  test('Value <v> for parameter <P> is invalid, with the value unquoted', async () => {
    const url = await create(uniqueName('val'));
    expect(await sqs.error('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 })).toMatchObject(
      invalid(
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
      ),
    );
    await sqs.ok('AddPermission', {
      QueueUrl: url,
      Label: 'test',
      AWSAccountIds: ['111111111111'],
      Actions: ['SendMessage'],
    });
    expect(
      await sqs.error('AddPermission', {
        QueueUrl: url,
        Label: 'test',
        AWSAccountIds: ['111111111111'],
        Actions: ['SendMessage'],
      }),
    ).toMatchObject(invalid('Value test for parameter Label is invalid. Reason: Already exists.'));
    expect(
      await sqs.error('SendMessage', { QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 }),
    ).toMatchObject(
      invalid(
        'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
      ),
    );
    const typeNotValid = 'Reason: The request include parameter that is not valid for this queue type.';
    expect(
      await sqs.error('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd1' }),
    ).toMatchObject(invalid(`Value d1 for parameter MessageDeduplicationId is invalid. ${typeNotValid}`));
    const fifo = await create(`${uniqueName('val')}.fifo`, { FifoQueue: 'true' });
    expect(
      await sqs.error('SendMessage', {
        QueueUrl: fifo,
        MessageBody: 'x',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd',
        DelaySeconds: 2,
      }),
    ).toMatchObject(invalid(`Value 2 for parameter DelaySeconds is invalid. ${typeNotValid}`));
    expect(
      await sqs.error('SendMessage', { QueueUrl: fifo, MessageBody: 'x', MessageDeduplicationId: 'd' }),
    ).toMatchObject({
      code: 'MissingParameter',
      status: 400,
      message: 'The request must contain the parameter MessageGroupId.',
    });
    expect(
      await sqs.error('SendMessage', { QueueUrl: fifo, MessageBody: 'x', MessageGroupId: 'g' }),
    ).toMatchObject(
      invalid(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      ),
    );
  });

  test('message size and attribute types', async () => {
    const url = await create(uniqueName('size'), { MaximumMessageSize: '1024' });
    expect(await sqs.error('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1025) })).toMatchObject(
      invalid('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.'),
    );
    expect(
      await sqs.error('SendMessageBatch', {
        QueueUrl: url,
        Entries: [{ Id: 'a', MessageBody: 'x'.repeat(1025) }],
      }),
    ).toMatchObject(
      invalid('One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.'),
    );
    expect(
      await sqs.error('SendMessage', {
        QueueUrl: url,
        MessageBody: 'x',
        MessageAttributes: { colour: { DataType: 'Text', StringValue: 'blue' } },
      }),
    ).toMatchObject(
      invalid(
        "The type of message (user) attribute 'colour' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
      ),
    );
  });

  test('batches: ids, repeats, too many, too long', async () => {
    const url = await create(uniqueName('batch'));
    const entry = (Id: string, MessageBody = 'x') => ({ Id, MessageBody });
    expect(await sqs.error('SendMessageBatch', { QueueUrl: url, Entries: [entry('bad id!')] })).toMatchObject(
      {
        code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
        status: 400,
        message:
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      },
    );
    expect(
      await sqs.error('SendMessageBatch', { QueueUrl: url, Entries: [entry('a'), entry('a')] }),
    ).toMatchObject({
      code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      status: 400,
      message: 'Id a repeated.',
    });
    const eleven = Array.from({ length: 11 }, (_, n) => entry(`e${n}`));
    expect(await sqs.error('SendMessageBatch', { QueueUrl: url, Entries: eleven })).toMatchObject({
      code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      status: 400,
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    const big = Array.from({ length: 10 }, (_, n) => entry(`e${n}`, 'x'.repeat(110_000)));
    expect(await sqs.error('SendMessageBatch', { QueueUrl: url, Entries: big })).toMatchObject({
      code: 'AWS.SimpleQueueService.BatchRequestTooLong',
      status: 400,
      message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1100000 bytes.',
    });
  });

  test('ChangeMessageVisibility on a deleted message: an invalid ReceiptHandle value', async () => {
    const url = await create(uniqueName('gone'));
    await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: 'x' });
    const { Messages } = await sqs.ok('ReceiveMessage', { QueueUrl: url });
    const handle = (Messages as { ReceiptHandle: string }[])[0]!.ReceiptHandle;
    await sqs.ok('DeleteMessage', { QueueUrl: url, ReceiptHandle: handle });
    expect(
      await sqs.error('ChangeMessageVisibility', {
        QueueUrl: url,
        ReceiptHandle: handle,
        VisibilityTimeout: 5,
      }),
    ).toMatchObject(
      invalid(
        `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      ),
    );
  });
});
