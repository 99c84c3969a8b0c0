// Real SNS clients other than the JS SDK, as subprocesses: the pip `aws` (awscli 1.45), Debian's
// /usr/bin/aws (2.9) and a boto3 script. Each is skipped, visibly, where absent. Python clients
// start slowly on a loaded machine, hence the long timeouts.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SqsTestService, startSqsService, uniqueName } from '../sqs/service';
import { createQueue, drain } from './support';

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

const clis = [
  { name: 'pip aws (awscli 1.45)', command: 'aws', present: has('aws', ['--version']) },
  { name: "Debian's /usr/bin/aws (2.9)", command: '/usr/bin/aws', present: existsSync('/usr/bin/aws') },
];
const hasBoto3 = has('python3', ['-c', 'import boto3']);

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env?.close());

describe.each(clis)('$name', ({ command, present }) => {
  const aws = async (...args: string[]) => {
    const { stdout } = await run(command, ['--endpoint-url', env.url, '--output', 'json', 'sns', ...args], {
      env: clientEnv,
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  test.runIf(present)(
    'create-topic, subscribe with a filter, publish, and the queue gets the envelope',
    async () => {
      const { TopicArn } = await aws('create-topic', '--name', uniqueName('cli'));
      const queue = await createQueue(env.sqs, uniqueName('cliq'));
      const { SubscriptionArn } = await aws(
        'subscribe',
        '--topic-arn',
        TopicArn,
        '--protocol',
        'sqs',
        '--notification-endpoint',
        queue.arn,
        '--attributes',
        JSON.stringify({ FilterPolicy: JSON.stringify({ kind: [{ 'anything-but': 'noise' }] }) }),
        '--return-subscription-arn',
      );
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
      const kept = await aws(
        'publish',
        '--topic-arn',
        TopicArn,
        '--message',
        'signal',
        '--subject',
        'hello',
        '--message-attributes',
        JSON.stringify({ kind: { DataType: 'String', StringValue: 'signal' } }),
      );
      expect(kept.MessageId).toMatch(/^[0-9a-f-]{36}$/);
      await aws(
        'publish',
        '--topic-arn',
        TopicArn,
        '--message',
        'noise',
        '--message-attributes',
        JSON.stringify({ kind: { DataType: 'String', StringValue: 'noise' } }),
      );
      const messages = await drain(env.sqs, queue.url);
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0]!.Body!)).toMatchObject({
        Type: 'Notification',
        MessageId: kept.MessageId,
        Message: 'signal',
        Subject: 'hello',
        TopicArn,
      });
      const { Attributes } = await aws('get-topic-attributes', '--topic-arn', TopicArn);
      expect(Attributes).toMatchObject({ TopicArn, SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
      const tags = await aws('tag-resource', '--resource-arn', TopicArn, '--tags', 'Key=team,Value=ops');
      expect(tags).toEqual({});
      expect(await aws('list-tags-for-resource', '--resource-arn', TopicArn)).toEqual({
        Tags: [{ Key: 'team', Value: 'ops' }],
      });
      await aws('unsubscribe', '--subscription-arn', SubscriptionArn);
      expect((await aws('list-subscriptions-by-topic', '--topic-arn', TopicArn)).Subscriptions).toEqual([]);
      const failure = await aws('get-topic-attributes', '--topic-arn', `${TopicArn}-gone`).catch(
        (error: { stderr: string }) => error.stderr,
      );
      expect(failure).toContain('(NotFound)');
      expect(failure).toContain('Topic does not exist');
    },
    180_000,
  );
});

const botoScript = `
import boto3, json, sys
endpoint, topic_name, queue_name = sys.argv[1:4]
sns = boto3.client('sns', endpoint_url=endpoint, region_name='us-east-1')
sqs = boto3.client('sqs', endpoint_url=endpoint, region_name='us-east-1')
topic = sns.create_topic(Name=topic_name, Attributes={'FifoTopic': 'true', 'ContentBasedDeduplication': 'false'})['TopicArn']
url = sqs.create_queue(QueueName=queue_name, Attributes={'FifoQueue': 'true'})['QueueUrl']
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn, Attributes={'RawMessageDelivery': 'true'})
ids = []
for i in range(6):
    r = sns.publish(TopicArn=topic, Message='m%d' % i, MessageGroupId='g%d' % (i % 2), MessageDeduplicationId='d%d' % i)
    ids.append(r['MessageId'])
again = sns.publish(TopicArn=topic, Message='m0', MessageGroupId='g0', MessageDeduplicationId='d0')
batch = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
    {'Id': 'a', 'Message': 'b0', 'MessageGroupId': 'g0', 'MessageDeduplicationId': 'b0'},
    {'Id': 'b', 'Message': 'b1', 'MessageGroupId': 'g0', 'MessageDeduplicationId': 'b1'},
])
try:
    sns.publish(TopicArn=topic, Message='x')
    error = None
except sns.exceptions.InvalidParameterException as e:
    error = e.response['Error']['Message']
got = []
for _ in range(10):
    r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=['All'])
    for m in r.get('Messages', []):
        got.append({'body': m['Body'], 'group': m['Attributes']['MessageGroupId']})
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m['ReceiptHandle'])
    if not r.get('Messages'):
        break
print(json.dumps({'ids': ids, 'again': again['MessageId'], 'seq': again.get('SequenceNumber'),
                  'batch': len(batch['Successful']), 'error': error, 'got': got}))
`;

test.runIf(hasBoto3)(
  'boto3: a FIFO topic delivers to a FIFO queue in order per group, deduplicated',
  async () => {
    const { stdout } = await run(
      'python3',
      ['-c', botoScript, env.url, `${uniqueName('fifo')}.fifo`, `${uniqueName('fq')}.fifo`],
      { env: clientEnv },
    );
    const out = JSON.parse(stdout);
    expect(out.again).toBe(out.ids[0]);
    expect(out.seq).toMatch(/^\d{20}$/);
    expect(out.batch).toBe(2);
    expect(out.error).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const inGroup = (group: string) =>
      out.got.filter((m: { group: string }) => m.group === group).map((m: { body: string }) => m.body);
    expect(inGroup('g0')).toEqual(['m0', 'm2', 'm4', 'b0', 'b1']);
    expect(inGroup('g1')).toEqual(['m1', 'm3', 'm5']);
  },
  180_000,
);

test.skipIf(clis.every((c) => c.present) && hasBoto3)(
  'SKIPPED: the machine lacks an aws CLI or boto3',
  () => {},
);
