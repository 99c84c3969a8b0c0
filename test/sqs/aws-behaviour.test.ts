// SQS behaviour as AWS has it (issue 14), through boto3 in both protocols: the machine's boto3
// (AWS JSON 1.0) and Debian's python3-boto3 (Query). The service's clock is injected, so leases
// end when the test says, not after real seconds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { type Boto, hasQueryBoto, type SqsProtocolName, startBoto } from './boto';
import { type SqsTestService, startSqsService, uniqueName } from './service';

const clock = new ManualClock(Date.now());
let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService({ clock });
});
afterAll(() => env?.close());

const protocols: SqsProtocolName[] = hasQueryBoto ? ['json', 'query'] : ['json'];

describe.each(protocols)('%s protocol', (protocol) => {
  let sqs: Boto;
  beforeAll(async () => {
    sqs = await startBoto(protocol, env.url);
  });
  afterAll(() => sqs?.close());

  const create = async (prefix: string, attributes: Record<string, string> = {}) => {
    const fifo = prefix.endsWith('.fifo');
    const name = fifo ? `${uniqueName(prefix.slice(0, -5))}.fifo` : uniqueName(prefix);
    const { QueueUrl } = await sqs.ok('CreateQueue', {
      QueueName: name,
      Attributes: fifo ? { FifoQueue: 'true', ...attributes } : attributes,
    });
    return { name, url: QueueUrl as string };
  };
  const receive = async (url: string, params: Record<string, unknown> = {}) =>
    ((await sqs.ok('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, ...params })).Messages ??
      []) as { Body: string; ReceiptHandle: string; MessageId: string }[];

  test('1. FIFO: the group is receivable when the visibility timeout set by ChangeMessageVisibility ends', async () => {
    const { url } = await create('cmv.fifo', { VisibilityTimeout: '30' });
    for (const body of ['m1', 'm2']) {
      await sqs.ok('SendMessage', {
        QueueUrl: url,
        MessageBody: body,
        MessageGroupId: 'g',
        MessageDeduplicationId: body,
      });
    }
    const [first] = await receive(url, { MaxNumberOfMessages: 1 });
    await sqs.ok('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: first!.ReceiptHandle,
      VisibilityTimeout: 5,
    });
    clock.advance(4_000);
    expect(await receive(url)).toEqual([]);
    clock.advance(1_000);
    expect((await receive(url, { MaxNumberOfMessages: 1 })).map((m) => m.Body)).toEqual(['m1']);
    const [again] = await receive(url, { VisibilityTimeout: 30 });
    expect(again).toBeUndefined(); // the group is in flight again
    clock.advance(30_000);
    const [third] = await receive(url, { MaxNumberOfMessages: 1 });
    await sqs.ok('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: third!.ReceiptHandle,
      VisibilityTimeout: 0,
    });
    expect((await receive(url)).map((m) => m.Body)).toEqual(['m1', 'm2']);
  });

  test('2. QueueUrl may be a bare queue name; an unknown one is NonExistentQueue', async () => {
    const { name } = await create('bare');
    await sqs.ok('SendMessage', { QueueUrl: name, MessageBody: 'by name' });
    expect((await receive(name)).map((m) => m.Body)).toEqual(['by name']);
    const error = await sqs.error('GetQueueAttributes', {
      QueueUrl: 'no-such-queue-here',
      AttributeNames: ['All'],
    });
    expect(error).toMatchObject({ code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 });
  });

  test('3. empty lists are lists: no attributes asked, empty batches refused as empty', async () => {
    const { url } = await create('empty');
    const attributes = await sqs.ok('GetQueueAttributes', { QueueUrl: url, AttributeNames: [] });
    expect(attributes.Attributes).toBeUndefined();
    for (const action of ['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch']) {
      const error = await sqs.error(action, { QueueUrl: url, Entries: [] });
      expect(error).toMatchObject({
        code: 'AWS.SimpleQueueService.EmptyBatchRequest',
        status: 400,
        message: `There should be at least one ${action}RequestEntry in the request.`,
      });
    }
    const untag = await sqs.call('UntagQueue', { QueueUrl: url, TagKeys: [] });
    expect(untag.error?.message ?? '').not.toContain('list of strings');
  });

  test('4. an earlier receipt handle of a message still in the queue acts on it; foreign handles are invalid', async () => {
    const { url } = await create('stale', { VisibilityTimeout: '30' });
    const other = await create('stale-other');
    await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: 'one' });
    const [early] = await receive(url, { VisibilityTimeout: 0 });
    const [late] = await receive(url, { VisibilityTimeout: 30 });
    expect(late!.MessageId).toBe(early!.MessageId);
    // The earlier handle moves the current lease: visible now.
    await sqs.ok('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: early!.ReceiptHandle,
      VisibilityTimeout: 0,
    });
    const [third] = await receive(url, { VisibilityTimeout: 30 });
    expect(third?.Body).toBe('one');
    const batch = await sqs.ok('ChangeMessageVisibilityBatch', {
      QueueUrl: url,
      Entries: [{ Id: 'a', ReceiptHandle: late!.ReceiptHandle, VisibilityTimeout: 60 }],
    });
    expect(batch.Failed ?? []).toEqual([]);
    await sqs.ok('DeleteMessage', { QueueUrl: url, ReceiptHandle: early!.ReceiptHandle });
    clock.advance(61_000);
    expect(await receive(url)).toEqual([]);

    // A lease that ran out, not received since: changing its visibility succeeds.
    await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: 'two' });
    const [expired] = await receive(url, { VisibilityTimeout: 5 });
    clock.advance(6_000);
    await sqs.ok('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: expired!.ReceiptHandle,
      VisibilityTimeout: 10,
    });
    expect(await receive(url)).toEqual([]);
    clock.advance(10_000);
    const [back] = await receive(url);
    expect(back?.Body).toBe('two');

    for (const handle of ['not-a-handle', back!.ReceiptHandle]) {
      const error = await sqs.error('DeleteMessage', { QueueUrl: other.url, ReceiptHandle: handle });
      expect(error).toMatchObject({
        code: 'ReceiptHandleIsInvalid',
        status: 404,
        message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
      });
    }
    const failed = await sqs.ok('DeleteMessageBatch', {
      QueueUrl: other.url,
      Entries: [{ Id: 'x', ReceiptHandle: 'not-a-handle' }],
    });
    expect(failed.Failed).toEqual([
      {
        Id: 'x',
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
      },
    ]);
  });

  test('5. FIFO SendMessageBatch: an entry without group or deduplication id fails the whole request', async () => {
    const { url } = await create('batch.fifo');
    const noGroup = await sqs.error('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'a', MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'a' },
        { Id: 'b', MessageBody: 'b', MessageDeduplicationId: 'b' },
      ],
    });
    expect(noGroup).toMatchObject({
      code: 'InvalidParameterValue',
      status: 400,
      message: 'The request must contain the parameter MessageGroupId.',
    });
    const noDedup = await sqs.error('SendMessageBatch', {
      QueueUrl: url,
      Entries: [{ Id: 'a', MessageBody: 'a', MessageGroupId: 'g' }],
    });
    expect(noDedup).toMatchObject({
      code: 'InvalidParameterValue',
      status: 400,
      message:
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    expect(await receive(url)).toEqual([]);
  });

  test('6. AddPermission: grantable actions only, accounts required, policy as SQS writes it', async () => {
    const { url, name } = await create('perm');
    const owner = await sqs.error('AddPermission', {
      QueueUrl: url,
      Label: 'l1',
      AWSAccountIds: ['111111111111'],
      Actions: ['RemovePermission'],
    });
    expect(owner).toMatchObject({
      code: 'InvalidParameterValue',
      status: 400,
      message:
        'Value SQS:RemovePermission for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.',
    });
    const noAccounts = await sqs.error('AddPermission', {
      QueueUrl: url,
      Label: 'l1',
      AWSAccountIds: [],
      Actions: ['SendMessage'],
    });
    expect(noAccounts).toMatchObject({
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.',
    });
    await sqs.ok('AddPermission', {
      QueueUrl: url,
      Label: 'one',
      AWSAccountIds: ['111111111111'],
      Actions: ['SendMessage'],
    });
    await sqs.ok('AddPermission', {
      QueueUrl: url,
      Label: 'two',
      AWSAccountIds: ['111111111111', '222222222222'],
      Actions: ['SendMessage', 'ReceiveMessage'],
    });
    const { Attributes } = await sqs.ok('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: ['Policy'],
    });
    const policy = JSON.parse((Attributes as Record<string, string>).Policy!);
    const arn = `arn:aws:sqs:us-east-1:123456789012:${name}`;
    expect(policy).toEqual({
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'one',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'SQS:SendMessage',
          Resource: arn,
        },
        {
          Sid: 'two',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] },
          Action: ['SQS:SendMessage', 'SQS:ReceiveMessage'],
          Resource: arn,
        },
      ],
    });
  });

  test('7. FifoQueue on a standard queue is an unknown attribute; an empty tag key is invalid', async () => {
    for (const value of ['false', 'true']) {
      const error = await sqs.error('CreateQueue', {
        QueueName: uniqueName('nf'),
        Attributes: { FifoQueue: value },
      });
      expect(error).toMatchObject({
        code: 'InvalidAttributeName',
        status: 400,
        message: 'Unknown Attribute FifoQueue.',
      });
    }
    const { url } = await create('tags');
    const error = await sqs.error('TagQueue', { QueueUrl: url, Tags: { '': 'x' } });
    expect(error).toMatchObject({
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Tag keys must be between 1 and 128 characters in length.',
    });
  });

  test('8. one receive returns messages oldest first (FIFO: by sequence number across groups)', async () => {
    const { url } = await create('order');
    const bodies = Array.from({ length: 8 }, (_, n) => `m${n}`);
    for (const body of bodies) {
      await sqs.ok('SendMessage', { QueueUrl: url, MessageBody: body });
      clock.advance(1);
    }
    expect((await receive(url)).map((m) => m.Body)).toEqual(bodies);

    const fifo = await create('order.fifo');
    const sent = ['a1', 'b1', 'a2', 'b2', 'c1', 'a3'];
    for (const body of sent) {
      await sqs.ok('SendMessage', {
        QueueUrl: fifo.url,
        MessageBody: body,
        MessageGroupId: body[0],
        MessageDeduplicationId: body,
      });
      clock.advance(1); // sequence numbers follow send time across groups
    }
    expect((await receive(fifo.url)).map((m) => m.Body)).toEqual(sent);
  });
});

test.skipIf(hasQueryBoto)(
  "SKIPPED: Debian's python3-boto3 is missing, so the Query protocol did not run",
  () => {
    console.warn('apt-get install python3-boto3 (as .ci/run does) to run these tests in the Query protocol');
  },
);
