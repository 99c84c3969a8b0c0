import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/** The REST API over HTTP, through the local host and the deployed handlers, on DynamoDB Local. */
const { url } = useLocalService();
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}-${Date.now()}`;

describe('queue lifecycle', () => {
  test('create, get, list, update, purge and delete a queue', async () => {
    const q = name('life');
    const created = await api('POST', '/queues', {
      name: q,
      visibilityTimeoutSeconds: 45,
      tags: { team: 'core' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/queues/${q}`);
    expect(created.body).toMatchObject({
      name: q,
      arn: `arn:aws:sqs:us-east-1:000000000000:${q}`,
      visibilityTimeoutSeconds: 45,
      retentionSeconds: 345_600,
      delaySeconds: 0,
      maxMessageBytes: 1_048_576,
      receiveWaitSeconds: 0,
      shardCount: 4,
      tags: { team: 'core' },
    });
    expect((await api('POST', '/queues', { name: q, visibilityTimeoutSeconds: 45 })).status).toBe(200);
    const conflict = await api('POST', '/queues', { name: q, visibilityTimeoutSeconds: 46 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('QueueNameExists');

    const got = await api('GET', `/queues/${q}`);
    expect(got.body.messages).toEqual({ visible: 0, inFlight: 0, delayed: 0, oldestMessageAgeSeconds: 0 });

    const listed = await api('GET', `/queues?prefix=${q}`);
    expect(listed.body.queues.map((x: { name: string }) => x.name)).toEqual([q]);

    const updated = await api('PATCH', `/queues/${q}`, { delaySeconds: 10, receiveWaitSeconds: 2 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ delaySeconds: 10, receiveWaitSeconds: 2 });

    await api('POST', `/queues/${q}/messages`, { body: 'one' });
    const purged = await api('POST', `/queues/${q}/purge`);
    expect(purged).toMatchObject({ status: 200, body: { purged: 1, removal: 'background' } });

    expect((await api('DELETE', `/queues/${q}`)).status).toBe(204);
    expect((await api('GET', `/queues/${q}`)).status).toBe(404);
  });

  test('list pages with limit and nextToken', async () => {
    const prefix = name('page');
    for (let i = 0; i < 5; i++) await api('POST', '/queues', { name: `${prefix}-${i}` });
    const first = await api('GET', `/queues?prefix=${prefix}&limit=2`);
    expect(first.body.queues).toHaveLength(2);
    const second = await api('GET', `/queues?prefix=${prefix}&limit=2&nextToken=${first.body.nextToken}`);
    expect(second.body.queues.map((q: { name: string }) => q.name)).toEqual([`${prefix}-2`, `${prefix}-3`]);
  });

  test('redrive policy is set and removed with PATCH', async () => {
    const dlq = name('dlq');
    const q = name('src');
    await api('POST', '/queues', { name: dlq });
    const created = await api('POST', '/queues', { name: q, deadLetterQueue: dlq, maxReceiveCount: 3 });
    expect(created.body).toMatchObject({ deadLetterQueue: dlq, maxReceiveCount: 3 });
    const removed = await api('PATCH', `/queues/${q}`, { deadLetterQueue: null, maxReceiveCount: null });
    expect(removed.body.deadLetterQueue).toBeUndefined();
  });
});

describe('message lifecycle', () => {
  test('send, receive, change visibility and delete one message', async () => {
    const q = name('msg');
    await api('POST', '/queues', { name: q });
    const sent = await api('POST', `/queues/${q}/messages`, {
      body: 'hello',
      attributes: { plain: 'text', count: { dataType: 'Number', stringValue: '42' } },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.messageId).toMatch(/^[0-9a-f-]{36}$/);

    const received = await api('POST', `/queues/${q}/messages/receive`, {
      maxMessages: 10,
      visibilityTimeoutSeconds: 60,
    });
    expect(received.status).toBe(200);
    const [m] = received.body.messages;
    expect(m).toMatchObject({
      messageId: sent.body.messageId,
      body: 'hello',
      receiveCount: 1,
      attributes: {
        plain: { dataType: 'String', stringValue: 'text' },
        count: { dataType: 'Number', stringValue: '42' },
      },
    });
    expect(Date.parse(m.sentAt)).toBeGreaterThan(0);

    const extended = await api('POST', `/queues/${q}/messages/visibility`, {
      receiptHandle: m.receiptHandle,
      visibilityTimeoutSeconds: 120,
    });
    expect(extended.status).toBe(204);
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 0,
      inFlight: 1,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });

    const deleted = await api('DELETE', `/queues/${q}/messages/${encodeURIComponent(m.receiptHandle)}`);
    expect(deleted.status).toBe(204);
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });
  });

  test('an empty body receives with the queue defaults', async () => {
    const q = name('defaults');
    await api('POST', '/queues', { name: q });
    const received = await api('POST', `/queues/${q}/messages/receive`);
    expect(received).toMatchObject({ status: 200, body: { messages: [] } });
  });

  test('batches: send, delete and change visibility with per-entry results', async () => {
    const q = name('batch');
    await api('POST', '/queues', { name: q });
    const sent = await api('POST', `/queues/${q}/messages`, {
      messages: [
        { id: 'a', body: 'first' },
        { id: 'b', body: 'second', delaySeconds: 0 },
        { id: 'bad', body: 'bell \u0007' },
      ],
    });
    expect(sent.status).toBe(200);
    expect(sent.body.successful.map((s: { id: string }) => s.id)).toEqual(['a', 'b']);
    expect(sent.body.failed).toEqual([
      expect.objectContaining({ id: 'bad', code: 'InvalidMessageContents', senderFault: true }),
    ]);

    const received = await api('POST', `/queues/${q}/messages/receive`, { maxMessages: 10 });
    const handles = received.body.messages.map((m: { receiptHandle: string }) => m.receiptHandle);
    expect(handles).toHaveLength(2);
    const visibility = await api('POST', `/queues/${q}/messages/visibility`, {
      entries: [
        { id: 'x', receiptHandle: handles[0], visibilityTimeoutSeconds: 100 },
        { id: 'y', receiptHandle: 'r1.forged.handle', visibilityTimeoutSeconds: 100 },
      ],
    });
    expect(visibility.body.successful).toEqual([{ id: 'x' }]);
    expect(visibility.body.failed).toEqual([
      expect.objectContaining({ id: 'y', code: 'ReceiptHandleIsInvalid' }),
    ]);

    const deleted = await api('POST', `/queues/${q}/messages/delete`, {
      entries: handles.map((receiptHandle: string, i: number) => ({ id: `d${i}`, receiptHandle })),
    });
    expect(deleted.body).toEqual({ successful: [{ id: 'd0' }, { id: 'd1' }], failed: [] });
  });
});

describe('bad input gets a clear 4xx problem', () => {
  const cases: [string, string, string, unknown, number, string, RegExp][] = [
    ['malformed JSON', 'POST', '/queues', '{"name":', 400, 'MalformedRequest', /not valid JSON/],
    ['a JSON array', 'POST', '/queues', '[1]', 400, 'MalformedRequest', /must be a JSON object/],
    ['an empty body', 'POST', '/queues', undefined, 400, 'MalformedRequest', /empty/],
    ['a missing name', 'POST', '/queues', {}, 400, 'MissingParameter', /name is required/],
    [
      'a wrong type',
      'POST',
      '/queues',
      { name: 'q', delaySeconds: 'ten' },
      400,
      'InvalidParameterValue',
      /delaySeconds.*"ten" was given/,
    ],
    [
      'out of range',
      'POST',
      '/queues',
      { name: 'q', retentionSeconds: 30 },
      400,
      'InvalidParameterValue',
      /retentionSeconds must be a number at least 60, but 30/,
    ],
    [
      'a fraction',
      'POST',
      '/queues',
      { name: 'q', delaySeconds: 1.5 },
      400,
      'InvalidParameterValue',
      /delaySeconds must be an integer/,
    ],
    [
      'an invalid name',
      'POST',
      '/queues',
      { name: 'no spaces' },
      400,
      'InvalidParameterValue',
      /name must be 1 to 80 characters/,
    ],
    [
      'an unknown field',
      'POST',
      '/queues',
      { name: 'q', visibilty: 3 },
      400,
      'InvalidParameterValue',
      /Unknown field visibilty/,
    ],
    [
      'an unknown queue',
      'GET',
      '/queues/does-not-exist',
      undefined,
      404,
      'QueueDoesNotExist',
      /does-not-exist does not exist/,
    ],
    [
      'a send to an unknown queue',
      'POST',
      '/queues/nope/messages',
      { body: 'x' },
      404,
      'QueueDoesNotExist',
      /nope/,
    ],
    ['an unknown route', 'GET', '/nowhere', undefined, 404, 'NotFound', /no route/],
    ['a wrong method', 'PUT', '/queues', undefined, 405, 'MethodNotAllowed', /PUT is not allowed/],
    ['a bad limit', 'GET', '/queues?limit=0', undefined, 400, 'InvalidParameterValue', /limit/],
    ['a bad token', 'GET', '/queues?nextToken=@@', undefined, 400, 'InvalidParameterValue', /nextToken/],
  ];
  test.each(cases)('%s', async (_, method, path, body, status, code, detail) => {
    const response = await api(method, path, body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ status, code, type: `urn:serverless-queue:error:${code}` });
    expect(response.body.title).toEqual(expect.any(String));
    expect(response.body.detail).toMatch(detail);
  });

  test('message-level bad input on an existing queue, and nothing stored', async () => {
    const q = name('bad');
    await api('POST', '/queues', { name: q, maxMessageBytes: 1024 });
    const expectations: [unknown, string, RegExp][] = [
      [{ body: '' }, 'InvalidParameterValue', /body/],
      [{ body: 'x'.repeat(1025) }, 'InvalidParameterValue', /at most 1024 bytes.*1025/],
      [{ body: 'nul\u0000' }, 'InvalidMessageContents', /U\+0000/],
      [{ body: 'lone \ud800 surrogate' }, 'InvalidMessageContents', /U\+D800/],
      // A delay may reach the queue's retention (4 days by default), not beyond.
      [{ body: 'x', delaySeconds: 345_601 }, 'InvalidParameterValue', /delaySeconds/],
      [{ body: 'x', attributes: { 'AWS.reserved': 'x' } }, 'InvalidParameterValue', /name/],
      [
        { body: 'x', attributes: { n: { dataType: 'Number', stringValue: 'abc' } } },
        'InvalidParameterValue',
        /number/,
      ],
      [
        { body: 'x', attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, 'v'])) },
        'InvalidParameterValue',
        /at most 10/,
      ],
      [{ messages: [] }, 'EmptyBatchRequest', /at least one/],
      [
        { messages: Array.from({ length: 11 }, (_, i) => ({ id: `m${i}`, body: 'x' })) },
        'TooManyEntriesInBatchRequest',
        /11/,
      ],
      [
        {
          messages: [
            { id: 'a', body: 'x' },
            { id: 'a', body: 'y' },
          ],
        },
        'BatchEntryIdsNotDistinct',
        /"a"/,
      ],
      [{ messages: [{ id: 'bad id!', body: 'x' }] }, 'InvalidBatchEntryId', /bad id!/],
    ];
    for (const [body, code, detail] of expectations) {
      const response = await api('POST', `/queues/${q}/messages`, body);
      expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.code, JSON.stringify(body).slice(0, 100)).toBe(code);
      expect(response.body.detail).toMatch(detail);
    }
    for (const body of [
      { maxMessages: 11 },
      { waitTimeSeconds: 21 },
      { visibilityTimeoutSeconds: -1 },
      { maxMessages: '1' },
    ]) {
      const response = await api('POST', `/queues/${q}/messages/receive`, body);
      expect(response.body.code).toBe('InvalidParameterValue');
    }
    const forged = await api('DELETE', `/queues/${q}/messages/r1.Zm9yZ2Vk.AAAAAAAAAAAAAAAAAAAAAA`);
    expect(forged).toMatchObject({ status: 410, body: { code: 'ReceiptHandleIsInvalid' } });
    const deleteBatch = await api('POST', `/queues/${q}/messages/delete`, { entries: [] });
    expect(deleteBatch.body.code).toBe('EmptyBatchRequest');
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });
  });
});
