// sqs-consumer, unchanged, against the local service: a few hundred messages processed to
// completion, with handler failures re-delivered once their visibility timeout runs out.
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type SqsTestService, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env.close());

const total = 300;

test(`sqs-consumer processes ${total} messages, re-delivering those whose handler failed`, async () => {
  const { QueueUrl } = await env.sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName('consumer'), Attributes: { VisibilityTimeout: '2' } }),
  );
  for (let start = 0; start < total; start += 10) {
    const sent = await env.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({
          Id: `m${start + i}`,
          MessageBody: `job ${start + i}`,
        })),
      }),
    );
    expect(sent.Failed ?? []).toEqual([]);
  }

  const attempts = new Map<string, number>();
  const done = new Set<string>();
  const errors: Error[] = [];
  let finish: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const consumer = Consumer.create({
    queueUrl: QueueUrl!,
    sqs: env.sqs,
    batchSize: 10,
    waitTimeSeconds: 1,
    pollingWaitTimeMs: 0,
    messageSystemAttributeNames: ['ApproximateReceiveCount'],
    handleMessage: async (message) => {
      const body = message.Body!;
      const attempt = (attempts.get(body) ?? 0) + 1;
      attempts.set(body, attempt);
      // Every seventh job fails on its first delivery; SQS hands it out again after the timeout.
      if (Number(body.split(' ')[1]) % 7 === 0 && attempt === 1)
        throw new Error(`transient failure of ${body}`);
      expect(Number(message.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(attempt);
      done.add(body);
      if (done.size === total) finish();
      return message;
    },
  });
  consumer.on('error', (error) => errors.push(error));
  consumer.start();
  const timeout = setTimeout(() => finish(), 60_000);
  await finished;
  clearTimeout(timeout);
  consumer.stop();

  expect(errors).toEqual([]);
  expect(done.size).toBe(total);
  const failedFirst = [...attempts].filter(([body]) => Number(body.split(' ')[1]) % 7 === 0);
  expect(failedFirst.length).toBe(Math.ceil(total / 7));
  for (const [, count] of failedFirst) expect(count).toBeGreaterThanOrEqual(2);

  // Everything handled gets deleted: once the last deletes land, nothing is visible or in flight.
  const counts = async () =>
    (
      await env.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes;
  const empty = { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' };
  for (let i = 0; i < 50 && JSON.stringify(await counts()) !== JSON.stringify(empty); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await counts()).toEqual(empty);
}, 90_000);
