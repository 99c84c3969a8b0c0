import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliOptions, runCli } from '../cli/run-cli';
import { type SqsTestService, sqsError, startSqsService, uniqueName } from '../sqs/service';
import { call } from '../support/local-service';

/**
 * Scheduled delivery and long retention through the service as callers see it: REST, the SQS
 * dialect (JS SDK), the dq tool, and one end-to-end check in real time.
 */
let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env?.close());

const api = (method: string, path: string, body?: unknown) => call(env.url, method, path, body);
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: env.url, ...options });

async function restQueue(settings: Record<string, unknown> = {}): Promise<string> {
  const name = uniqueName('sched');
  expect((await api('POST', '/queues', { name, ...settings })).status).toBe(201);
  return name;
}

describe('REST', () => {
  test('send with deliverAt or delaySeconds: 201 with deliverAt; both, or past retention: 400', async () => {
    const q = await restQueue({ retentionSeconds: 3_600 });
    const at = inSeconds(600);
    const sent = await api('POST', `/queues/${q}/messages`, { body: 'a', deliverAt: at });
    expect(sent).toMatchObject({ status: 201, body: { messageId: expect.any(String), deliverAt: at } });
    const delayed = await api('POST', `/queues/${q}/messages`, { body: 'b', delaySeconds: 1_800 });
    expect(delayed.status).toBe(201);
    expect(Date.parse(delayed.body.deliverAt) - Date.now()).toBeGreaterThan(1_790_000);
    const both = await api('POST', `/queues/${q}/messages`, { body: 'c', deliverAt: at, delaySeconds: 5 });
    expect(both).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue' } });
    const late = await api('POST', `/queues/${q}/messages`, { body: 'd', deliverAt: inSeconds(3_700) });
    expect(late.status).toBe(400);
    expect(late.body.detail).toContain("at most 3,600 seconds ahead (the queue's retentionSeconds)");
    const batch = await api('POST', `/queues/${q}/messages`, {
      messages: [
        { id: '1', body: 'e', deliverAt: at },
        { id: '2', body: 'f', delaySeconds: 4_000 },
      ],
    });
    expect(batch.body.successful).toEqual([{ id: '1', messageId: expect.any(String), deliverAt: at }]);
    expect(batch.body.failed).toMatchObject([{ id: '2', code: 'InvalidParameterValue' }]);
  });

  test('cancel: 204, then 404 MessageNotFound; 409 MessageNotScheduled once deliverable', async () => {
    const q = await restQueue();
    const { body: scheduled } = await api('POST', `/queues/${q}/messages`, {
      body: 's',
      delaySeconds: 3_600,
    });
    const { body: ready } = await api('POST', `/queues/${q}/messages`, { body: 'r' });
    const peeked = await api('GET', `/queues/${q}/messages?state=delayed`);
    expect(peeked.body.messages).toEqual([
      expect.objectContaining({
        messageId: scheduled.messageId,
        state: 'delayed',
        deliverAt: scheduled.deliverAt,
      }),
    ]);
    const cancel = (id: string) => api('DELETE', `/queues/${q}/messages/scheduled/${id}`);
    expect((await cancel(scheduled.messageId)).status).toBe(204);
    expect(await cancel(scheduled.messageId)).toMatchObject({
      status: 404,
      body: { code: 'MessageNotFound' },
    });
    expect(await cancel(ready.messageId)).toMatchObject({
      status: 409,
      body: { code: 'MessageNotScheduled' },
    });
    expect((await api('GET', `/queues/${q}/messages?state=delayed`)).body.messages).toEqual([]);
    expect((await api('GET', `/queues/${q}/messages?state=visible`)).status).toBe(400);
  });

  test('retention up to 365 days on create and update', async () => {
    const q = await restQueue({ retentionSeconds: 31_536_000 });
    expect((await api('GET', `/queues/${q}`)).body.retentionSeconds).toBe(31_536_000);
    const over = await api('PATCH', `/queues/${q}`, { retentionSeconds: 31_536_001 });
    expect(over.status).toBe(400);
    expect((await api('PATCH', `/queues/${q}`, { retentionSeconds: 2_592_000 })).body.retentionSeconds).toBe(
      2_592_000,
    );
  });
});

describe('SQS dialect', () => {
  test('dq.DeliverAt schedules beyond 15 minutes and stays on the message; DelaySeconds keeps 0..900', async () => {
    const { QueueUrl } = await env.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sqs-sched') }));
    const attribute = (value: string) => ({ 'dq.DeliverAt': { DataType: 'String', StringValue: value } });
    await env.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'later',
        MessageAttributes: attribute(inSeconds(7_200)),
      }),
    );
    const past = new Date(Date.now() - 60_000).toISOString();
    await env.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'now', MessageAttributes: attribute(past) }),
    );
    const got = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    expect(got.Messages?.map((m) => m.Body)).toEqual(['now']);
    expect(got.Messages?.[0]?.MessageAttributes?.['dq.DeliverAt']?.StringValue).toBe(past);
    const counts = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }),
    );
    expect(counts.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    const both = await sqsError(
      env.sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: 'x',
          DelaySeconds: 5,
          MessageAttributes: attribute(past),
        }),
      ),
    );
    expect(both.name).toBe('InvalidParameterValue');
    const over = await sqsError(
      env.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 })),
    );
    expect(over.message).toBe(
      'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
    );
  });

  test("MessageRetentionPeriod keeps AWS's range and reports a longer REST retention", async () => {
    const error = await sqsError(
      env.sqs.send(
        new CreateQueueCommand({
          QueueName: uniqueName('sqs-ret'),
          Attributes: { MessageRetentionPeriod: '1209601' },
        }),
      ),
    );
    expect(error.name).toBe('InvalidAttributeValue');
    expect(error.message).toBe('Invalid value for the parameter MessageRetentionPeriod.');
    const q = await restQueue({ retentionSeconds: 2_592_000 });
    const attributes = await env.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: env.queueUrl(q),
        AttributeNames: ['MessageRetentionPeriod'],
      }),
    );
    expect(attributes.Attributes?.MessageRetentionPeriod).toBe('2592000');
  });
});

describe('dq', () => {
  test('send --in / --at, peek --delayed, cancel', async () => {
    const q = await restQueue();
    const sent = await dq(['send', q, 'hello', '--in', '2h', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const [message] = JSON.parse(sent.stdout).messages;
    expect(Date.parse(message.deliverAt) - Date.now()).toBeGreaterThan(7_100_000);
    expect((await dq(['send', q, 'x', '--in', '2 weeks'])).code).not.toBe(0);
    expect((await dq(['send', q, 'x', '--in', '1h', '--delay', '5'])).code).not.toBe(0);
    const at = await dq(['send', q, 'at', '--at', inSeconds(600)]);
    expect(at.code, at.stderr).toBe(0);
    const peek = JSON.parse((await dq(['peek', q, '--delayed', '--json'])).stdout);
    expect(peek.messages.map((m: { body: string }) => m.body)).toEqual(['at', 'hello']);
    const cancelled = await dq(['cancel', q, message.messageId]);
    expect(cancelled).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`Cancelled ${message.messageId}`),
    });
    const again = await dq(['cancel', q, message.messageId]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Message not found');
  });
});

describe('end to end, in real time', () => {
  test('a message scheduled 3 s ahead arrives within 1.5 s of its time; a cancelled one never', async () => {
    const q = await restQueue();
    const due = Date.now() + 3_000;
    const deliverAt = new Date(due).toISOString();
    const kept = await api('POST', `/queues/${q}/messages`, { body: 'kept', deliverAt });
    const dropped = await api('POST', `/queues/${q}/messages`, { body: 'dropped', deliverAt });
    expect((await api('DELETE', `/queues/${q}/messages/scheduled/${dropped.body.messageId}`)).status).toBe(
      204,
    );
    const got = await api('POST', `/queues/${q}/messages/receive`, { waitTimeSeconds: 10, maxMessages: 10 });
    const arrived = Date.now();
    expect(got.body.messages.map((m: { messageId: string }) => m.messageId)).toEqual([kept.body.messageId]);
    expect(arrived).toBeGreaterThanOrEqual(due);
    expect(arrived - due).toBeLessThan(1_500);
    // Long after its time, the cancelled one is still not there.
    const later = await api('POST', `/queues/${q}/messages/receive`, { waitTimeSeconds: 2, maxMessages: 10 });
    expect(later.body.messages).toEqual([]);
  });
});
