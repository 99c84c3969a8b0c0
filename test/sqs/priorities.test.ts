// Message priorities through both dialects of the local service: the REST field `priority`, and
// for SQS clients the message attribute dq.Priority (AWS SDK over JSON, and the Query protocol
// spoken directly). Bad values are refused in each caller's own dialect.
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call } from '../support/local-service';
import { type SqsTestService, sqsError, startSqsService, uniqueName } from './service';

let env: SqsTestService;
beforeAll(async () => {
  env = await startSqsService();
});
afterAll(() => env.close());

const rest = (method: string, path: string, body?: unknown) => call(env.url, method, path, body);
const priority = (value: string) => ({ 'dq.Priority': { DataType: 'Number', StringValue: value } });
const newQueue = async (name = uniqueName('prio'), Attributes?: Record<string, string>) => {
  const { QueueUrl } = await env.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return { name, url: QueueUrl! };
};

describe('REST', () => {
  test('send (one and batch) takes priority 0..9; receive and peek return it, highest first', async () => {
    const { name } = await newQueue();
    const path = `/queues/${name}/messages`;
    expect((await rest('POST', path, { body: 'low' })).status).toBe(201);
    expect((await rest('POST', path, { body: 'top', priority: 9 })).status).toBe(201);
    const batch = await rest('POST', path, {
      messages: [
        { id: 'a', body: 'mid', priority: 5 },
        { id: 'b', body: 'zero', priority: 0 },
      ],
    });
    expect(batch.body.failed).toEqual([]);
    const peeked = await rest('GET', path);
    expect(
      peeked.body.messages.map((m: { body: string; priority?: number }) => [m.body, m.priority]),
    ).toEqual([
      ['top', 9],
      ['mid', 5],
      ['low', undefined],
      ['zero', undefined],
    ]);
    const received = await rest('POST', `${path}/receive`, { maxMessages: 10 });
    expect(received.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'top',
      'mid',
      'low',
      'zero',
    ]);
    expect(received.body.messages[0].priority).toBe(9);
  });

  test.each([[10], [-1], [1.5], ['5'], [null]])(
    'priority %j is a 400 problem that says the range',
    async (value) => {
      const { name } = await newQueue();
      for (const body of [
        { body: 'x', priority: value },
        { messages: [{ id: 'a', body: 'x', priority: value }] },
      ]) {
        const response = await rest('POST', `/queues/${name}/messages`, body);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
        expect(response.body).toMatchObject({ allowed: 'an integer from 0 to 9' });
        expect(response.body.field).toMatch(/^(priority|messages\.0\.priority)$/);
        expect(response.body.detail).toMatch(/priority must be an integer from 0 to 9, but .* was given$/);
      }
      expect((await rest('GET', `/queues/${name}`)).body.messages.visible).toBe(0);
    },
  );

  test('a FIFO queue refuses a priority with a 400', async () => {
    const name = `${uniqueName('prio')}.fifo`;
    await rest('POST', '/queues', { name, fifo: true, contentBasedDeduplication: true });
    const response = await rest('POST', `/queues/${name}/messages`, { body: 'x', groupId: 'g', priority: 3 });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'InvalidParameterValue', field: 'priority' });
    expect(response.body.detail).toContain('FIFO');
  });
});

describe('SQS (AWS SDK, JSON protocol)', () => {
  test('dq.Priority orders delivery; the attribute stays on the message and the digests match', async () => {
    const { url } = await newQueue();
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'plain' }));
    const sent = await env.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'urgent', MessageAttributes: priority('8') }),
    );
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    await env.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [{ Id: 'a', MessageBody: 'soon', MessageAttributes: priority('3') }],
      }),
    );
    // The SDK checks MD5OfMessageAttributes of every message it receives.
    const { Messages } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(['urgent', 'soon', 'plain']);
    expect(Messages?.[0]?.MessageAttributes?.['dq.Priority']).toEqual({
      DataType: 'Number',
      StringValue: '8',
    });
    expect(Messages?.[2]?.MessageAttributes).toBeUndefined();
  });

  test('a REST priority shows as dq.Priority to an SQS reader who asks for it', async () => {
    const { name, url } = await newQueue();
    await rest('POST', `/queues/${name}/messages`, { body: 'from rest', priority: 6 });
    const { Messages } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['dq.*'] }),
    );
    expect(Messages?.[0]?.MessageAttributes).toEqual({
      'dq.Priority': { DataType: 'Number', StringValue: '6' },
    });
  });

  test.each([['10'], ['-1'], ['2.5'], ['high']])(
    'dq.Priority %s is InvalidParameterValue; in a batch, that entry fails alone',
    async (value) => {
      const { url } = await newQueue();
      const error = await sqsError(
        env.sqs.send(
          new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: priority(value) }),
        ),
      );
      expect(error.name).toBe('InvalidParameterValue');
      expect(error.message).toBe(
        `Value ${value} for parameter MessageAttributes.dq.Priority is invalid. Reason: dq.Priority must be a Number message attribute with an integer value from 0 to 9.`,
      );
      const batch = await env.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'bad', MessageBody: 'x', MessageAttributes: priority(value) },
            { Id: 'good', MessageBody: 'y', MessageAttributes: priority('1') },
          ],
        }),
      );
      expect(batch.Successful?.map((s) => s.Id)).toEqual(['good']);
      expect(batch.Failed).toMatchObject([{ Id: 'bad', Code: 'InvalidParameterValue', SenderFault: true }]);
    },
  );

  test('a String dq.Priority, and a priority on a FIFO queue, are refused', async () => {
    const { url } = await newQueue();
    const asString = await sqsError(
      env.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageAttributes: { 'dq.Priority': { DataType: 'String', StringValue: '5' } },
        }),
      ),
    );
    expect(asString.name).toBe('InvalidParameterValue');
    const fifo = await newQueue(`${uniqueName('prio')}.fifo`, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    const refused = await sqsError(
      env.sqs.send(
        new SendMessageCommand({
          QueueUrl: fifo.url,
          MessageBody: 'x',
          MessageGroupId: 'g',
          MessageAttributes: priority('5'),
        }),
      ),
    );
    expect(refused.name).toBe('InvalidParameterValue');
    expect(refused.message).toContain('Priorities are for standard queues only');
  });
});

describe('SQS Query protocol', () => {
  const parser = new XMLParser({ parseTagValue: false });
  const query = async (params: Record<string, string>) => {
    const response = await fetch(env.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }),
    });
    return { status: response.status, xml: parser.parse(await response.text()) };
  };

  test('dq.Priority works, and a bad one is an ErrorResponse with InvalidParameterValue', async () => {
    const { url } = await newQueue();
    const send = (body: string, value: string) =>
      query({
        Action: 'SendMessage',
        QueueUrl: url,
        MessageBody: body,
        'MessageAttribute.1.Name': 'dq.Priority',
        'MessageAttribute.1.Value.DataType': 'Number',
        'MessageAttribute.1.Value.StringValue': value,
      });
    const bad = await send('x', '12');
    expect(bad.status).toBe(400);
    expect(bad.xml.ErrorResponse.Error).toMatchObject({ Type: 'Sender', Code: 'InvalidParameterValue' });
    expect(bad.xml.ErrorResponse.Error.Message).toContain('from 0 to 9');
    expect((await send('low', '1')).status).toBe(200);
    expect((await send('high', '7')).status).toBe(200);
    const received = await query({ Action: 'ReceiveMessage', QueueUrl: url, MaxNumberOfMessages: '1' });
    expect(received.xml.ReceiveMessageResponse.ReceiveMessageResult.Message.Body).toBe('high');
  });
});
