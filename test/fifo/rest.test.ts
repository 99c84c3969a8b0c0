import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/** FIFO queues over the REST API, through the local host and the deployed handlers. */
const { url } = useLocalService();
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

let counter = 0;
const fifoName = (prefix: string) => `${prefix}-${++counter}-${Date.now()}.fifo`;

describe('FIFO over REST', () => {
  test('create, send with group and deduplication ids, receive in order with sequence numbers', async () => {
    const q = fifoName('orders');
    const created = await api('POST', '/queues', { name: q, fifo: true, contentBasedDeduplication: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: q,
      fifo: true,
      contentBasedDeduplication: true,
      deduplicationScope: 'queue',
      fifoThroughputLimit: 'perQueue',
    });
    const one = await api('POST', `/queues/${q}/messages`, { body: 'first', groupId: 'customer-7' });
    expect(one.status).toBe(201);
    expect(one.body.sequenceNumber).toMatch(/^\d{20}$/);
    const repeat = await api('POST', `/queues/${q}/messages`, { body: 'first', groupId: 'customer-7' });
    expect(repeat.body).toEqual(one.body);
    const batch = await api('POST', `/queues/${q}/messages`, {
      messages: [
        { id: 'a', body: 'second', groupId: 'customer-7', deduplicationId: 'order-2' },
        { id: 'b', body: 'third', groupId: 'customer-7', deduplicationId: 'order-3' },
      ],
    });
    expect(batch.body.failed).toEqual([]);
    expect(
      batch.body.successful.map(
        (s: { sequenceNumber: string }) => s.sequenceNumber > one.body.sequenceNumber,
      ),
    ).toEqual([true, true]);

    const received = await api('POST', `/queues/${q}/messages/receive`, {
      maxMessages: 10,
      receiveRequestAttemptId: 'try-1',
    });
    expect(received.body.messages.map((m: { body: string }) => m.body)).toEqual(['first', 'second', 'third']);
    expect(received.body.messages[0]).toMatchObject({
      groupId: 'customer-7',
      sequenceNumber: one.body.sequenceNumber,
      deduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const replay = await api('POST', `/queues/${q}/messages/receive`, {
      maxMessages: 10,
      receiveRequestAttemptId: 'try-1',
    });
    expect(replay.body.messages.map((m: { receiptHandle: string }) => m.receiptHandle)).toEqual(
      received.body.messages.map((m: { receiptHandle: string }) => m.receiptHandle),
    );
    const deleted = await api('POST', `/queues/${q}/messages/delete`, {
      entries: received.body.messages.map((m: { receiptHandle: string }, n: number) => ({
        id: `d${n}`,
        receiptHandle: m.receiptHandle,
      })),
    });
    expect(deleted.body.failed).toEqual([]);
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });
  });

  test('refusals: missing group, per-message delay, kind and name, FIFO fields on standard queues', async () => {
    const q = fifoName('strict');
    expect((await api('POST', '/queues', { name: q })).body.code).toBe('InvalidParameterValue');
    expect((await api('POST', '/queues', { name: `plain-${Date.now()}`, fifo: true })).body.code).toBe(
      'InvalidParameterValue',
    );
    expect((await api('POST', '/queues', { name: q, fifo: true })).status).toBe(201);
    const missing = await api('POST', `/queues/${q}/messages`, { body: 'x', deduplicationId: 'd' });
    expect(missing).toMatchObject({ status: 400, body: { code: 'MissingParameter', field: 'groupId' } });
    const delayed = await api('POST', `/queues/${q}/messages`, {
      body: 'x',
      groupId: 'g',
      deduplicationId: 'd',
      delaySeconds: 5,
    });
    expect(delayed.body).toMatchObject({ code: 'InvalidParameterValue', field: 'delaySeconds' });
    const noDedup = await api('POST', `/queues/${q}/messages`, { body: 'x', groupId: 'g' });
    expect(noDedup.body).toMatchObject({ code: 'InvalidParameterValue', field: 'deduplicationId' });
    const plain = `plain-${Date.now()}`;
    await api('POST', '/queues', { name: plain });
    const dedupOnStandard = await api('POST', `/queues/${plain}/messages`, {
      body: 'x',
      deduplicationId: 'd',
    });
    expect(dedupOnStandard.body.code).toBe('InvalidParameterValue');
    const patch = await api('PATCH', `/queues/${plain}`, { contentBasedDeduplication: true });
    expect(patch.body.code).toBe('InvalidParameterValue');
  });

  test('the OpenAPI document describes the FIFO fields', async () => {
    const document = (await api('GET', '/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const create = ajv.compile(document.paths['/queues'].post.requestBody.content['application/json'].schema);
    expect(create({ name: 'orders.fifo', fifo: true, deduplicationScope: 'messageGroup' })).toBe(true);
    expect(create({ name: 'orders.fifo', deduplicationScope: 'everywhere' })).toBe(false);
    const receive = ajv.compile(
      document.paths['/queues/{name}/messages/receive'].post.requestBody.content['application/json'].schema,
    );
    expect(receive({ receiveRequestAttemptId: 'a-1' })).toBe(true);
  });
});
