// Dead letters and message move tasks through @aws-sdk/client-sqs: a message that keeps failing
// is set aside by the sweeper, read on the dead-letter queue, and moved back by a tracked task.
// The sweep and the task slices are run directly (the scheduled handlers call the same functions).
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runMoveTasks } from '../../functions/queue/operations/move-tasks';
import { sweep } from '../../functions/queue/operations/sweep';
import { accountId, type SqsTestService, sqsError, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env.close());

const arnOf = (name: string) => `arn:aws:sqs:us-east-1:${accountId}:${name}`;

async function createQueue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await env.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

/** A source queue whose messages go to a new dead-letter queue after `maxReceiveCount` receives. */
async function queuePair(maxReceiveCount = 2) {
  const dlqName = uniqueName('dlq');
  const dlqUrl = await createQueue(dlqName);
  const sourceName = uniqueName('src');
  const sourceUrl = await createQueue(sourceName, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlqName), maxReceiveCount }),
  });
  return { dlqName, dlqUrl, dlqArn: arnOf(dlqName), sourceName, sourceUrl, sourceArn: arnOf(sourceName) };
}

/** Receives every message `times` times without deleting it (a lease of 0 s: visible again at once). */
async function failRepeatedly(url: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
  }
}

const countOf = async (url: string) =>
  Number(
    (
      await env.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
    ).Attributes?.ApproximateNumberOfMessages,
  );

const listTasks = async (SourceArn: string, MaxResults?: number) =>
  (await env.sqs.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults }))).Results ?? [];

describe('a failing message, the dead-letter queue and a move task back', () => {
  test('sweep to the DLQ, read it there, list its source, move it back, COMPLETED', async () => {
    const pair = await queuePair(2);
    const sent = await env.sqs.send(
      new SendMessageCommand({
        QueueUrl: pair.sourceUrl,
        MessageBody: 'resize photo 42',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'photo' } },
      }),
    );
    await failRepeatedly(pair.sourceUrl, 2);

    const report = await sweep(env.service.runtime.queue);
    expect(report.deadLettered).toBeGreaterThanOrEqual(1);
    expect(await countOf(pair.sourceUrl)).toBe(0);
    expect(await countOf(pair.dlqUrl)).toBe(1);

    // The dead-letter queue behaves as a queue: the message is there, with its body and attributes.
    const inDlq = await env.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pair.dlqUrl,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(inDlq.Messages).toHaveLength(1);
    const dead = inDlq.Messages![0]!;
    expect(dead.Body).toBe('resize photo 42');
    expect(dead.MessageAttributes?.kind?.StringValue).toBe('photo');
    // A person looked at it; release it so the move task can take it.
    await env.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: pair.dlqUrl,
        ReceiptHandle: dead.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );

    const sources = await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: pair.dlqUrl }));
    expect(sources.queueUrls).toEqual([pair.sourceUrl]);

    const started = Date.now();
    const { TaskHandle } = await env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: pair.dlqArn }));
    expect(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString('utf8'))).toMatchObject({
      sourceArn: pair.dlqArn,
      taskId: expect.any(String),
    });

    const [running] = await listTasks(pair.dlqArn);
    expect(running).toEqual({
      TaskHandle,
      Status: 'RUNNING',
      SourceArn: pair.dlqArn,
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: 1,
      StartedTimestamp: expect.any(Number),
    });
    expect(running!.StartedTimestamp!).toBeGreaterThanOrEqual(started - 1_000);
    expect(running!.StartedTimestamp!).toBeLessThanOrEqual(Date.now());

    // One running task per dead-letter queue, as in SQS.
    const second = await sqsError(env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: pair.dlqArn })));
    expect(second.name).toBe('InvalidParameterValue');
    expect(second.message).toMatch(/already a task running/);

    await runMoveTasks(env.service.runtime.queue, { budgetMs: 5_000 });
    const [done] = await listTasks(pair.dlqArn);
    expect(done).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 1,
      ApproximateNumberOfMessagesToMove: 1,
    });
    expect(done!.TaskHandle).toBeUndefined();

    // Back in its source queue as a new message: new id, first receive.
    const back = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: pair.sourceUrl, MessageSystemAttributeNames: ['All'] }),
    );
    expect(back.Messages?.[0]?.Body).toBe('resize photo 42');
    expect(back.Messages?.[0]?.MessageId).not.toBe(sent.MessageId);
    expect(back.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await countOf(pair.dlqUrl)).toBe(0);

    // Cancelling a finished task is an error; a new task may start now.
    const cancel = await sqsError(env.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
    expect(cancel.name).toBe('ResourceNotFoundException');
    expect(cancel.$metadata).toMatchObject({ httpStatusCode: 404 });
    await env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: pair.dlqArn }));
    expect((await listTasks(pair.dlqArn, 10)).map((task) => task.Status)).toEqual(['RUNNING', 'COMPLETED']);
  });

  test('to a chosen destination at a set rate; cancel stops it and leaves the messages', async () => {
    const pair = await queuePair(1);
    for (let i = 0; i < 3; i++) {
      await env.sqs.send(new SendMessageCommand({ QueueUrl: pair.sourceUrl, MessageBody: `m${i}` }));
    }
    await failRepeatedly(pair.sourceUrl, 1);
    await sweep(env.service.runtime.queue);
    expect(await countOf(pair.dlqUrl)).toBe(3);
    const destinationName = uniqueName('dest');
    const destinationUrl = await createQueue(destinationName);

    const { TaskHandle } = await env.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: pair.dlqArn,
        DestinationArn: arnOf(destinationName),
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    const [running] = await listTasks(pair.dlqArn);
    expect(running).toMatchObject({
      Status: 'RUNNING',
      DestinationArn: arnOf(destinationName),
      MaxNumberOfMessagesPerSecond: 1,
      ApproximateNumberOfMessagesToMove: 3,
    });

    const cancelled = await env.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(0);
    await runMoveTasks(env.service.runtime.queue, { budgetMs: 2_000 });
    const [after] = await listTasks(pair.dlqArn);
    expect(after).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 0 });
    expect(after!.TaskHandle).toBeUndefined();
    expect(await countOf(destinationUrl)).toBe(0);
    expect(await countOf(pair.dlqUrl)).toBe(3);
  });

  test('the rate limit paces a task: 3 messages at 2 per second take about a second', async () => {
    const pair = await queuePair(1);
    for (let i = 0; i < 3; i++) {
      await env.sqs.send(new SendMessageCommand({ QueueUrl: pair.sourceUrl, MessageBody: `m${i}` }));
    }
    await failRepeatedly(pair.sourceUrl, 1);
    await sweep(env.service.runtime.queue);
    await env.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: pair.dlqArn, MaxNumberOfMessagesPerSecond: 2 }),
    );
    const started = performance.now();
    await runMoveTasks(env.service.runtime.queue, { budgetMs: 10_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await listTasks(pair.dlqArn))[0]).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 3,
    });
    expect(await countOf(pair.sourceUrl)).toBe(3);
  });
});

describe('move task errors, as SQS returns them', () => {
  test('StartMessageMoveTask: bad ARNs, missing queues, no DLQ, rates out of range', async () => {
    const pair = await queuePair();
    const start = (input: ConstructorParameters<typeof StartMessageMoveTaskCommand>[0]) =>
      sqsError(env.sqs.send(new StartMessageMoveTaskCommand(input)));

    const notArn = await start({ SourceArn: 'not-an-arn' });
    expect(notArn.name).toBe('InvalidParameterValue');
    expect(notArn.message).toMatch(/SourceArn/);

    const missing = await start({ SourceArn: arnOf(uniqueName('nope')) });
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toMatch(/SourceArn parameter doesn't exist/);
    expect(missing.$metadata).toMatchObject({ httpStatusCode: 404 });

    const otherAccount = await start({ SourceArn: `arn:aws:sqs:us-east-1:210987654321:${pair.dlqName}` });
    expect(otherAccount.name).toBe('ResourceNotFoundException');
    const otherRegion = await start({ SourceArn: `arn:aws:sqs:eu-west-1:${accountId}:${pair.dlqName}` });
    expect(otherRegion.name).toBe('ResourceNotFoundException');

    const notDlq = await start({ SourceArn: pair.sourceArn });
    expect(notDlq.name).toBe('InvalidParameterValue');
    expect(notDlq.message).toMatch(/must be configured as a Dead Letter Queue/);

    const noDestination = await start({ SourceArn: pair.dlqArn, DestinationArn: arnOf(uniqueName('nope')) });
    expect(noDestination.name).toBe('ResourceNotFoundException');
    expect(noDestination.message).toMatch(/DestinationArn/);

    const itself = await start({ SourceArn: pair.dlqArn, DestinationArn: pair.dlqArn });
    expect(itself.name).toBe('InvalidParameterValue');

    for (const rate of [0, 501]) {
      const error = await start({ SourceArn: pair.dlqArn, MaxNumberOfMessagesPerSecond: rate });
      expect(error.name).toBe('InvalidParameterValue');
      expect(error.message).toMatch(/MaxNumberOfMessagesPerSecond/);
    }
    expect((await start({} as never)).name).toBe('MissingParameter');
    // Nothing was started by any of these.
    expect(await listTasks(pair.dlqArn)).toEqual([]);
  });

  test('ListMessageMoveTasks: MaxResults 1..10 (default 1), missing queues', async () => {
    const pair = await queuePair();
    expect(await listTasks(pair.dlqArn)).toEqual([]);
    for (const MaxResults of [0, 11]) {
      const error = await sqsError(
        env.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: pair.dlqArn, MaxResults })),
      );
      expect(error.name).toBe('InvalidParameterValue');
    }
    const missing = await sqsError(
      env.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arnOf(uniqueName('nope')) })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  test('CancelMessageMoveTask: garbled handles, forged handles, unknown tasks', async () => {
    const pair = await queuePair();
    const cancel = (TaskHandle: string) =>
      sqsError(env.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
    const handle = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

    const garbled = await cancel('foobared');
    expect(garbled.name).toBe('InvalidParameterValue');
    expect(garbled.message).toMatch(/TaskHandle/);
    expect((await cancel(handle({ taskId: 'x' }))).name).toBe('InvalidParameterValue');

    const unknownQueue = await cancel(
      handle({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05dd', sourceArn: arnOf(uniqueName('nope')) }),
    );
    expect(unknownQueue.name).toBe('ResourceNotFoundException');
    expect(unknownQueue.message).toMatch(/SourceArn/);

    const unknownTask = await cancel(
      handle({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05aa', sourceArn: pair.dlqArn }),
    );
    expect(unknownTask.name).toBe('ResourceNotFoundException');
    const oddTask = await cancel(handle({ taskId: '../../etc', sourceArn: pair.dlqArn }));
    expect(oddTask.name).toBe('ResourceNotFoundException');
    const forged = await cancel(
      handle({ taskId: '10f57157', sourceArn: `arn:aws:sqs:us-east-1:210987654321:${pair.dlqName}` }),
    );
    expect(forged.name).toBe('ResourceNotFoundException');
    const missing = await sqsError(env.sqs.send(new CancelMessageMoveTaskCommand({} as never)));
    expect(missing.name).toBe('MissingParameter');
  });
});

describe('move tasks over the Query protocol', () => {
  const parser = new XMLParser({
    isArray: (name) => name === 'ListMessageMoveTasksResultEntry',
    parseTagValue: false,
  });
  async function query(params: Record<string, string>) {
    const response = await fetch(`${env.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }),
    });
    return { status: response.status, xml: parser.parse(await response.text()) };
  }

  test('start, list (flattened result entries), cancel, and an ErrorResponse', async () => {
    const pair = await queuePair();
    const started = await query({ Action: 'StartMessageMoveTask', SourceArn: pair.dlqArn });
    expect(started.status).toBe(200);
    const handle = started.xml.StartMessageMoveTaskResponse.StartMessageMoveTaskResult.TaskHandle;
    expect(typeof handle).toBe('string');

    const listed = await query({ Action: 'ListMessageMoveTasks', SourceArn: pair.dlqArn, MaxResults: '10' });
    const [entry] =
      listed.xml.ListMessageMoveTasksResponse.ListMessageMoveTasksResult.ListMessageMoveTasksResultEntry;
    expect(entry).toMatchObject({
      TaskHandle: handle,
      Status: 'RUNNING',
      SourceArn: pair.dlqArn,
      ApproximateNumberOfMessagesMoved: '0',
      ApproximateNumberOfMessagesToMove: '0',
    });

    const cancelled = await query({ Action: 'CancelMessageMoveTask', TaskHandle: handle });
    expect(
      cancelled.xml.CancelMessageMoveTaskResponse.CancelMessageMoveTaskResult
        .ApproximateNumberOfMessagesMoved,
    ).toBe('0');

    const missing = await query({ Action: 'ListMessageMoveTasks', SourceArn: arnOf(uniqueName('nope')) });
    expect(missing.status).toBe(404);
    expect(missing.xml.ErrorResponse.Error).toMatchObject({
      Type: 'Sender',
      Code: 'ResourceNotFoundException',
    });
  });
});

describe('RedriveAllowPolicy', () => {
  const set = (QueueUrl: string, Attributes: Record<string, string>) =>
    env.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));

  test.each([
    ['not json', /not a valid JSON map/],
    ['[]', /not a valid JSON map/],
    ['{"redrivePermission":"sometimes"}', /allowAll, denyAll or byQueue/],
    ['{"redrivePermission":"byQueue"}', /1 to 10/],
    ['{"redrivePermission":"byQueue","sourceQueueArns":[]}', /1 to 10/],
    [
      JSON.stringify({
        redrivePermission: 'byQueue',
        sourceQueueArns: Array.from({ length: 11 }, (_, i) => arnOf(`q${i}`)),
      }),
      /1 to 10/,
    ],
    ['{"redrivePermission":"byQueue","sourceQueueArns":["queue-a"]}', /queue ARNs/],
    [
      `{"redrivePermission":"allowAll","sourceQueueArns":["${arnOf('a')}"]}`,
      /only when redrivePermission is byQueue/,
    ],
    ['{"redrivePermission":"allowAll","extra":1}', /unknown keys/],
  ])('refuses %s', async (policy, reason) => {
    const url = await createQueue(uniqueName());
    const error = await sqsError(set(url, { RedriveAllowPolicy: policy }));
    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toMatch(/RedriveAllowPolicy/);
    expect(error.message).toMatch(reason);
  });

  test('is stored, returned, and decides which queues may name the queue as dead-letter queue', async () => {
    const dlqName = uniqueName('dlq');
    const allowedName = uniqueName('allowed');
    const policy = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arnOf(allowedName)] });
    const dlqUrl = await createQueue(dlqName, { RedriveAllowPolicy: policy });
    const attributes = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['RedriveAllowPolicy'] }),
    );
    expect(attributes.Attributes?.RedriveAllowPolicy).toBe(policy);

    const redrive = JSON.stringify({ deadLetterTargetArn: arnOf(dlqName), maxReceiveCount: 3 });
    await createQueue(allowedName, { RedrivePolicy: redrive });
    const refused = await sqsError(createQueue(uniqueName('other'), { RedrivePolicy: redrive }));
    expect(refused.name).toBe('InvalidParameterValue');
    expect(refused.message).toMatch(/RedriveAllowPolicy/);

    await set(dlqUrl, { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });
    const otherUrl = await createQueue(uniqueName('other'));
    expect((await sqsError(set(otherUrl, { RedrivePolicy: redrive }))).name).toBe('InvalidParameterValue');
    await set(dlqUrl, { RedriveAllowPolicy: '{"redrivePermission":"allowAll"}' });
    await set(otherUrl, { RedrivePolicy: redrive });
  });
});
