// Real clients other than the JS SDK, as subprocesses: the machine's `aws` (pip awscli 1.45,
// AWS JSON protocol) and a boto3 script. Both are skipped, visibly, where the tool is absent.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SqsTestService, startSqsService, uniqueName } from './service';

const run = promisify(execFile);
const clientEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', env: clientEnv });
    return true;
  } catch {
    return false;
  }
}

const hasAws = has('aws', ['--version']);
const hasBoto3 = has('python3', ['-c', 'import boto3']);

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env?.close());

describe.runIf(hasAws)('aws CLI (JSON protocol)', () => {
  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', ['--endpoint-url', env.url, '--output', 'json', 'sqs', ...args], {
      env: clientEnv,
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  test('create, send with attributes, receive, delete, errors', async () => {
    const name = uniqueName();
    const { QueueUrl } = await aws(
      'create-queue',
      '--queue-name',
      name,
      '--attributes',
      'VisibilityTimeout=10',
    );
    expect(QueueUrl).toBe(env.queueUrl(name));
    const sent = await aws(
      'send-message',
      '--queue-url',
      QueueUrl,
      '--message-body',
      'from the cli',
      '--message-attributes',
      '{"k":{"DataType":"Number","StringValue":"42"}}',
    );
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const { Messages } = await aws(
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--message-attribute-names',
      'All',
      '--attribute-names',
      'ApproximateReceiveCount',
    );
    expect(Messages[0]).toMatchObject({
      Body: 'from the cli',
      MessageAttributes: { k: { DataType: 'Number', StringValue: '42' } },
      Attributes: { ApproximateReceiveCount: '1' },
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
    });
    await aws('delete-message', '--queue-url', QueueUrl, '--receipt-handle', Messages[0].ReceiptHandle);
    const attributes = await aws('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'All');
    expect(attributes.Attributes.ApproximateNumberOfMessagesNotVisible).toBe('0');
    await expect(aws('get-queue-url', '--queue-name', uniqueName('none'))).rejects.toThrow(
      /AWS.SimpleQueueService.NonExistentQueue/,
    );
    await expect(
      aws('create-queue', '--queue-name', name, '--attributes', 'VisibilityTimeout=11'),
    ).rejects.toThrow(/QueueAlreadyExists/);
    await aws('delete-queue', '--queue-url', QueueUrl);
  });
});

const botoScript = `
import json, sys, boto3
from botocore.exceptions import ClientError
sqs = boto3.client('sqs', endpoint_url=sys.argv[1])
name = sys.argv[2]
out = {}
url = sqs.create_queue(QueueName=name, Attributes={'DelaySeconds': '0'}, tags={'a': 'b'})['QueueUrl']
out['url'] = url
sent = sqs.send_message(QueueUrl=url, MessageBody='from boto3', MessageAttributes={
    'bin': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01'},
    'str': {'DataType': 'String', 'StringValue': 'v'}})
out['sentMd5'] = sent['MD5OfMessageAttributes']
batch = sqs.send_message_batch(QueueUrl=url, Entries=[{'Id': 'a', 'MessageBody': 'one'}, {'Id': 'b', 'MessageBody': 'two'}])
out['batch'] = sorted(e['Id'] for e in batch['Successful'])
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'], WaitTimeSeconds=1)
messages = got.get('Messages', [])
out['bodies'] = sorted(m['Body'] for m in messages)
binary = [m for m in messages if m['Body'] == 'from boto3'][0]
out['bin'] = list(binary['MessageAttributes']['bin']['BinaryValue'])
out['receivedMd5'] = binary['MD5OfMessageAttributes']
deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[{'Id': str(i), 'ReceiptHandle': m['ReceiptHandle']} for i, m in enumerate(messages)])
out['deleted'] = len(deleted['Successful'])
out['tags'] = sqs.list_queue_tags(QueueUrl=url).get('Tags')
try:
    sqs.get_queue_url(QueueName=name + '-missing')
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
except ClientError as e:
    out['rangeError'] = e.response['Error']['Code']
print(json.dumps(out))
`;

describe.runIf(hasBoto3)('boto3', () => {
  test('a boto3 script: create, send with binary attributes, batch, receive, delete, errors', async () => {
    const name = uniqueName();
    const { stdout } = await run('python3', ['-c', botoScript, env.url, name], { env: clientEnv });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      url: env.queueUrl(name),
      batch: ['a', 'b'],
      bodies: ['from boto3', 'one', 'two'],
      bin: [0, 1],
      deleted: 3,
      tags: { a: 'b' },
      error: ['AWS.SimpleQueueService.NonExistentQueue', 400],
      rangeError: 'InvalidParameterValue',
    });
    expect(out.receivedMd5).toBe(out.sentMd5);
  });
});

test.skipIf(hasAws && hasBoto3)('SKIPPED: the machine lacks `aws` or python3 with boto3', () => {
  console.warn(`aws present: ${hasAws}, boto3 present: ${hasBoto3}: some client tests did not run`);
});
