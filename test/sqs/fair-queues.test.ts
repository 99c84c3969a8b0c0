// Fair queues through the SQS dialect, with boto3 in both protocols (the machine's boto3 speaks
// AWS JSON 1.0, Debian's python3-boto3 speaks Query): MessageGroupId on a standard queue comes back
// on receive, a noisy tenant waits while a quiet one is served, and GetQueueAttributes answers the
// fair-queue figures when they are named (AWS has them as CloudWatch metrics only; not in All).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { fairRules } from '../../functions/queue/fair-groups';
import { type Boto, hasQueryBoto, type SqsProtocolName, startBoto } from './boto';
import { type SqsTestService, startSqsService, uniqueName } from './service';

const clock = new ManualClock(Date.now());
let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService({ clock });
});
afterAll(() => env?.close());

const protocols: SqsProtocolName[] = hasQueryBoto ? ['json', 'query'] : ['json'];
const fairNames = [
  'ApproximateNumberOfNoisyGroups',
  'ApproximateNumberOfMessagesVisibleInQuietGroups',
  'ApproximateNumberOfMessagesNotVisibleInQuietGroups',
  'ApproximateAgeOfOldestMessageInQuietGroups',
];

type Message = { Body: string; ReceiptHandle: string; Attributes?: Record<string, string> };

describe.each(protocols)('%s protocol', (protocol) => {
  let sqs: Boto;
  beforeAll(async () => {
    sqs = await startBoto(protocol, env.url);
  });
  afterAll(() => sqs?.close());

  const receive = async (url: string, max: number) =>
    ((
      await sqs.ok('ReceiveMessage', {
        QueueUrl: url,
        MaxNumberOfMessages: max,
        VisibilityTimeout: 600,
        AttributeNames: ['MessageGroupId'],
      })
    ).Messages ?? []) as Message[];
  const groups = (messages: Message[]) => messages.map((m) => m.Attributes?.MessageGroupId ?? 'none');

  test('MessageGroupId on a standard queue: sent, received back, in a batch too', async () => {
    const url = (await sqs.ok('CreateQueue', { QueueName: uniqueName('fair-rt') })).QueueUrl as string;
    await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: 'one', MessageGroupId: 'tenant-1' });
    await sqs.ok('SendMessageBatch', {
      QueueUrl: url,
      Entries: [{ Id: 'a', MessageBody: 'two', MessageGroupId: 'tenant-2' }],
    });
    await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: 'three' });
    const received = (
      await sqs.ok('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'] })
    ).Messages as Message[];
    const byBody = Object.fromEntries(received.map((m) => [m.Body, m.Attributes?.MessageGroupId]));
    expect(byBody).toEqual({ one: 'tenant-1', two: 'tenant-2', three: undefined });
  });

  test('a noisy tenant waits while a quiet one is served; GetQueueAttributes names the figures', async () => {
    const url = (await sqs.ok('CreateQueue', { QueueName: uniqueName('fair') })).QueueUrl as string;
    for (let i = 0; i < 6; i++) {
      await sqs.ok('SendMessageBatch', {
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, j) => ({
          Id: `e${j}`,
          MessageBody: `noisy ${i * 10 + j}`,
          MessageGroupId: 'noisy',
        })),
      });
      clock.advance(1);
    }
    const leased: Message[] = [];
    for (let i = 0; i < 4; i++) leased.push(...(await receive(url, 10)));
    expect(new Set(groups(leased))).toEqual(new Set(['noisy']));
    for (const body of ['q1', 'q2', 'q3']) {
      await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: body, MessageGroupId: 'quiet' });
    }
    clock.advance(fairRules.refreshMs + 5_000);

    const named = await sqs.ok('GetQueueAttributes', { QueueUrl: url, AttributeNames: fairNames });
    expect(named.Attributes).toEqual({
      ApproximateNumberOfNoisyGroups: '1',
      ApproximateNumberOfMessagesVisibleInQuietGroups: '3',
      ApproximateNumberOfMessagesNotVisibleInQuietGroups: '0',
      ApproximateAgeOfOldestMessageInQuietGroups: String((fairRules.refreshMs + 5_000) / 1000),
    });
    const all = await sqs.ok('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] });
    for (const name of fairNames) expect(all.Attributes).not.toHaveProperty(name);
    expect(all.Attributes).toMatchObject({ ApproximateNumberOfMessages: '23' });

    // 40 of 40 in flight are the noisy tenant's: its 20 older visible messages wait for the quiet 3.
    expect(groups(await receive(url, 3))).toEqual(['quiet', 'quiet', 'quiet']);
    expect(new Set(groups(await receive(url, 10)))).toEqual(new Set(['noisy']));
  });
});
