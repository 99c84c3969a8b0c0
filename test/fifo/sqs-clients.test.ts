import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SqsTestService, sqsError, startSqsService, uniqueName } from '../sqs/service';

/**
 * An SQS FIFO program, unchanged, against the service: the AWS SDK for JavaScript v3 (which
 * checks the MD5s) and a boto3 script run the same scenario.
 */
let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env?.close());

describe('FIFO with the AWS SDK for JavaScript', () => {
  test('create, deduplicate, receive in group order with FIFO attributes, replay, delete', async () => {
    const sqs = env.sqs;
    const name = `${uniqueName('orders')}.fifo`;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });

    expect((await sqsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })))).name).toBe(
      'MissingParameter',
    );
    const delayed = await sqsError(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 })),
    );
    expect(delayed.name).toBe('InvalidParameterValue');

    const first = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'a-0', MessageGroupId: 'a' }),
    );
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    const duplicate = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'a-0', MessageGroupId: 'a' }),
    );
    expect(duplicate.MessageId).toBe(first.MessageId);
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [1, 2, 3].flatMap((i) => [
          { Id: `a${i}`, MessageBody: `a-${i}`, MessageGroupId: 'a' },
          { Id: `b${i}`, MessageBody: `b-${i}`, MessageGroupId: 'b', MessageDeduplicationId: `b-dedup-${i}` },
        ]),
      }),
    );
    expect(batch.Failed ?? []).toEqual([]);
    expect(batch.Successful?.every((s) => /^\d{20}$/.test(s.SequenceNumber ?? ''))).toBe(true);

    const receive = (attempt?: string) =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
          ...(attempt ? { ReceiveRequestAttemptId: attempt } : {}),
        }),
      );
    const got: Message[] = [];
    const firstReceive = (await receive('attempt-1')).Messages ?? [];
    const replay = (await receive('attempt-1')).Messages ?? [];
    expect(replay.map((m) => m.ReceiptHandle)).toEqual(firstReceive.map((m) => m.ReceiptHandle));
    got.push(...firstReceive);
    for (let i = 0; i < 5 && got.length < 7; i++) got.push(...((await receive()).Messages ?? []));
    expect(got).toHaveLength(7);
    const bodiesOf = (group: string) =>
      got.filter((m) => m.Attributes?.MessageGroupId === group).map((m) => m.Body);
    expect(bodiesOf('a')).toEqual(['a-0', 'a-1', 'a-2', 'a-3']);
    expect(bodiesOf('b')).toEqual(['b-1', 'b-2', 'b-3']);
    const b1 = got.find((m) => m.Body === 'b-1')!;
    expect(b1.Attributes).toMatchObject({
      MessageDeduplicationId: 'b-dedup-1',
      ApproximateReceiveCount: '1',
    });
    expect(b1.Attributes?.SequenceNumber).toMatch(/^\d{20}$/);

    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got[0]!.ReceiptHandle! }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: got.slice(1).map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    expect(deleted.Failed ?? []).toEqual([]);
    expect((await receive()).Messages ?? []).toEqual([]);
  });

  test('queue names and attributes: .fifo needs FifoQueue=true; FIFO attributes are unknown on standard queues', async () => {
    const sqs = env.sqs;
    const fifoName = `${uniqueName()}.fifo`;
    expect((await sqsError(sqs.send(new CreateQueueCommand({ QueueName: fifoName })))).name).toBe(
      'InvalidParameterValue',
    );
    expect(
      (
        await sqsError(
          sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { FifoQueue: 'true' } })),
        )
      ).name,
    ).toBe('InvalidAttributeName');
    expect(
      (
        await sqsError(
          sqs.send(
            new CreateQueueCommand({
              QueueName: uniqueName(),
              Attributes: { ContentBasedDeduplication: 'true' },
            }),
          ),
        )
      ).name,
    ).toBe('InvalidAttributeName');
    const dlq = `${uniqueName('dlq')}.fifo`;
    await sqs.send(new CreateQueueCommand({ QueueName: dlq, Attributes: { FifoQueue: 'true' } }));
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: fifoName,
        Attributes: {
          FifoQueue: 'true',
          DeduplicationScope: 'messageGroup',
          FifoThroughputLimit: 'perMessageGroupId',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:${dlq}`,
            maxReceiveCount: 3,
          }),
        },
      }),
    );
    expect(QueueUrl).toBe(env.queueUrl(fifoName));
  });
});

const clientEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};
const hasBoto3 = (() => {
  try {
    execFileSync('python3', ['-c', 'import boto3'], { stdio: 'ignore', env: clientEnv });
    return true;
  } catch {
    return false;
  }
})();

const botoScript = `
import json, sys, boto3
sqs = boto3.client('sqs', endpoint_url=sys.argv[1])
url = sqs.create_queue(QueueName=sys.argv[2], Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
first = sqs.send_message(QueueUrl=url, MessageBody='a-0', MessageGroupId='a')
again = sqs.send_message(QueueUrl=url, MessageBody='a-0', MessageGroupId='a')
sqs.send_message_batch(QueueUrl=url, Entries=[
  {'Id': 'a1', 'MessageBody': 'a-1', 'MessageGroupId': 'a'},
  {'Id': 'b1', 'MessageBody': 'b-1', 'MessageGroupId': 'b', 'MessageDeduplicationId': 'b1'},
  {'Id': 'a2', 'MessageBody': 'a-2', 'MessageGroupId': 'a'},
])
try:
  sqs.send_message(QueueUrl=url, MessageBody='no group')
  missing = None
except sqs.exceptions.ClientError as e:
  missing = e.response['Error']['Code']
received = []
for _ in range(5):
  r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=['All'], ReceiveRequestAttemptId='r%d' % len(received))
  for m in r.get('Messages', []):
    received.append([m['Attributes']['MessageGroupId'], m['Body'], m['Attributes']['SequenceNumber']])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m['ReceiptHandle'])
print(json.dumps({'duplicate': first['MessageId'] == again['MessageId'], 'sequence': first['SequenceNumber'],
  'missing': missing, 'received': received}))
`;

describe.runIf(hasBoto3)('FIFO with boto3', () => {
  test('the same scenario from Python', async () => {
    const { stdout } = await promisify(execFile)(
      'python3',
      ['-c', botoScript, env.url, `${uniqueName('boto')}.fifo`],
      {
        env: clientEnv,
      },
    );
    const result = JSON.parse(stdout);
    expect(result.duplicate).toBe(true);
    expect(result.sequence).toMatch(/^\d{20}$/);
    expect(result.missing).toBe('MissingParameter');
    const byGroup = (group: string) =>
      result.received.filter(([g]: string[]) => g === group).map(([, body]: string[]) => body);
    expect(byGroup('a')).toEqual(['a-0', 'a-1', 'a-2']);
    expect(byGroup('b')).toEqual(['b-1']);
  });
});
