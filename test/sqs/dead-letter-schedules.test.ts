// The dead-letter story as a user lives it, with the local service's own schedules (sweeper and
// redrive every second) doing the work: a consumer keeps failing a message, it lands in the
// dead-letter queue, a person reads it, redrives it, and the fixed consumer processes it.
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { accountId, type SqsTestService, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService({ schedules: { everySeconds: { sweeper: 1, redrive: 1 } } });
});
afterAll(() => env.close());

/** Polls until `check` returns a value, for at most `timeoutMs`. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('a failing message is dead-lettered by the sweeper and redriven by a move task', async () => {
  const dlqName = uniqueName('dlq');
  const dlqArn = `arn:aws:sqs:us-east-1:${accountId}:${dlqName}`;
  const dlqUrl = (await env.sqs.send(new CreateQueueCommand({ QueueName: dlqName }))).QueueUrl!;
  const url = (
    await env.sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName('jobs'),
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
        },
      }),
    )
  ).QueueUrl!;
  await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));

  // The broken consumer takes it twice and never deletes it.
  for (let attempt = 1; attempt <= 2; attempt++) {
    const got = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    expect(got.Messages?.[0]?.Body).toBe('poison');
  }

  // Within a sweep after the last lease ends, it is in the dead-letter queue.
  const dead = await eventually(async () => {
    const got = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }));
    return got.Messages?.[0];
  });
  expect(dead.Body).toBe('poison');
  await env.sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: dlqUrl,
      ReceiptHandle: dead.ReceiptHandle!,
      VisibilityTimeout: 0,
    }),
  );

  // The consumer is fixed; the person redrives the queue and the redrive schedule completes it.
  await env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  const done = await eventually(async () => {
    const [task] = (await env.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results ?? [];
    return task?.Status === 'COMPLETED' ? task : undefined;
  });
  expect(done.ApproximateNumberOfMessagesMoved).toBe(1);

  const again = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
  expect(again.Messages?.[0]?.Body).toBe('poison');
  await env.sqs.send(
    new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle! }),
  );
  const counts = await env.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['All'] }),
  );
  expect(counts.Attributes?.ApproximateNumberOfMessages).toBe('0');
});
