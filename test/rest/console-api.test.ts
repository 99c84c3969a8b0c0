import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { call, useLocalService } from '../support/local-service';

/**
 * The routes a console or a command line uses to look at queues, over HTTP through the local
 * service: depth with the oldest message's age, counts in listings, per-minute statistics and
 * peeking without leasing. Time is a hand-moved clock (long polls still wait in real time).
 */
const clock = new ManualClock(Math.floor(Date.now() / 60_000) * 60_000 + 1_000);
const { url } = useLocalService({ clock });
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}-${Date.now()}`;

async function responseValidator(path: string, method = 'get') {
  const document = (await api('GET', '/openapi.json')).body;
  const schema = document.paths[path][method].responses['200'].content['application/json'].schema;
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('depth', () => {
  test('GET /queues/{name} tells the age of the oldest visible message', async () => {
    const q = name('age');
    await api('POST', '/queues', { name: q });
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 0,
    });
    await api('POST', `/queues/${q}/messages`, { body: 'old' });
    clock.advance(90_000);
    await api('POST', `/queues/${q}/messages`, { body: 'new' });
    await api('POST', `/queues/${q}/messages`, { body: 'later', delaySeconds: 60 });
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 2,
      inFlight: 0,
      delayed: 1,
      oldestMessageAgeSeconds: 90,
    });
  });

  test('FIFO queues: counts and the age of the longest-waiting group', async () => {
    const q = `${name('agef')}.fifo`;
    await api('POST', '/queues', { name: q, fifo: true, contentBasedDeduplication: true });
    await api('POST', `/queues/${q}/messages`, { body: 'a', groupId: 'g1' });
    await api('POST', `/queues/${q}/messages`, { body: 'b', groupId: 'g1' });
    clock.advance(30_000);
    expect((await api('GET', `/queues/${q}`)).body.messages).toEqual({
      visible: 2,
      inFlight: 0,
      delayed: 0,
      oldestMessageAgeSeconds: 30,
    });
  });

  test('GET /queues?counts=true gives every queue its counts; without it, none', async () => {
    const prefix = name('cnt');
    await api('POST', '/queues', { name: `${prefix}-a` });
    await api('POST', '/queues', { name: `${prefix}-b` });
    await api('POST', `/queues/${prefix}-b/messages`, { body: 'x' });
    const counted = await api('GET', `/queues?prefix=${prefix}&counts=true`);
    expect(counted.status).toBe(200);
    expect(counted.body.queues.map((q: { name: string; messages: unknown }) => [q.name, q.messages])).toEqual(
      [
        [`${prefix}-a`, { visible: 0, inFlight: 0, delayed: 0, oldestMessageAgeSeconds: 0 }],
        [`${prefix}-b`, { visible: 1, inFlight: 0, delayed: 0, oldestMessageAgeSeconds: 0 }],
      ],
    );
    const plain = await api('GET', `/queues?prefix=${prefix}`);
    expect(plain.body.queues.every((q: { messages?: unknown }) => q.messages === undefined)).toBe(true);
    const bad = await api('GET', `/queues?counts=yes`);
    expect(bad).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue', field: 'counts' } });
  });
});

describe('query parameters', () => {
  // Each refusal names the field, quotes the text as given and says what is allowed.
  const cases: [string, string, string][] = [
    [
      'stats',
      'minutes=',
      'minutes must be a whole number from 1 to 1440 (decimal digits only), but "" was given',
    ],
    ['stats', 'minutes=%20', 'but " " was given'],
    ['stats', 'minutes=abc', 'but "abc" was given'],
    ['stats', 'minutes=Infinity', 'but "Infinity" was given'],
    ['stats', 'minutes=0x10', 'but "0x10" was given'],
    ['stats', 'minutes=1e3', 'but "1e3" was given'],
    ['stats', 'minutes=0', 'but "0" was given'],
    [
      'messages',
      'limit=1&limit=2',
      'limit must be a whole number from 1 to 50 (decimal digits only), but "1,2" was given',
    ],
    [
      'dead-letters',
      'limit=-1',
      'limit must be a whole number from 1 to 100 (decimal digits only), but "-1" was given',
    ],
  ];
  test.each(cases)('GET /queues/{name}/%s?%s is refused: %s', async (route, query, detail) => {
    const q = name('query');
    await api('POST', '/queues', { name: q });
    const response = await api('GET', `/queues/${q}/${route}?${query}`);
    const field = query.split('=')[0];
    expect(response).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue', field } });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.detail).toContain(detail);
  });

  test('GET /queues?counts= and ?limit= say what was given and what is allowed', async () => {
    const counts = await api('GET', '/queues?counts=maybe');
    expect(counts).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue', field: 'counts' } });
    expect(counts.body.detail).toBe('counts must be one of "true", "false", but "maybe" was given');
    const limit = await api('GET', '/queues?limit=1.5');
    expect(limit).toMatchObject({ status: 400, body: { field: 'limit' } });
    expect(limit.body.detail).toMatch(
      /^limit must be a whole number from 1 to \d+ \(decimal digits only\), but "1.5" was given$/,
    );
  });

  test('decimal digits are read as the number they spell', async () => {
    const q = name('query-ok');
    await api('POST', '/queues', { name: q });
    expect((await api('GET', `/queues/${q}/stats?minutes=007`)).body.minutes).toHaveLength(7);
    expect((await api('GET', `/queues/${q}/messages?limit=50`)).status).toBe(200);
  });
});

describe('statistics', () => {
  test('GET /queues/{name}/stats: one entry per minute, oldest first, with what happened', async () => {
    const q = name('stats');
    await api('POST', '/queues', { name: q });
    const thisMinute = Math.floor(clock.now() / 60_000) * 60_000;
    await api('POST', `/queues/${q}/messages`, {
      messages: [
        { id: '1', body: 'a' },
        { id: '2', body: 'b' },
      ],
    });
    const received = await api('POST', `/queues/${q}/messages/receive`, { maxMessages: 1 });
    const handle = received.body.messages[0].receiptHandle;
    expect((await api('DELETE', `/queues/${q}/messages/${encodeURIComponent(handle)}`)).status).toBe(204);

    const stats = await api('GET', `/queues/${q}/stats?minutes=5`);
    expect(stats.status).toBe(200);
    expect(stats.body.name).toBe(q);
    expect(stats.body.minutes).toHaveLength(5);
    expect(stats.body.minutes.at(-1)).toEqual({
      minute: new Date(thisMinute).toISOString(),
      sent: 2,
      received: 1,
      deleted: 1,
      deadLettered: 0,
      redriven: 0,
    });
    expect(stats.body.minutes[0]).toEqual({
      minute: new Date(thisMinute - 4 * 60_000).toISOString(),
      sent: 0,
      received: 0,
      deleted: 0,
      deadLettered: 0,
      redriven: 0,
    });
    const validate = await responseValidator('/queues/{name}/stats');
    expect(validate(stats.body), JSON.stringify(validate.errors)).toBe(true);
    expect((await api('GET', `/queues/${q}/stats`)).body.minutes).toHaveLength(60);
  });

  test.each(['0', '2000', 'abc', '1.5'])(
    'minutes=%s is refused with a problem naming the field',
    async (minutes) => {
      const q = name('stats-bad');
      await api('POST', '/queues', { name: q });
      const response = await api('GET', `/queues/${q}/stats?minutes=${minutes}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'InvalidParameterValue', field: 'minutes' });
    },
  );

  test('unknown parameters and queues are refused', async () => {
    expect((await api('GET', '/queues/nope-none/stats')).body.code).toBe('QueueDoesNotExist');
    const q = name('stats-other');
    await api('POST', '/queues', { name: q });
    const response = await api('GET', `/queues/${q}/stats?hours=2`);
    expect(response).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue', field: 'hours' } });
  });
});

describe('peek', () => {
  test('shows visible, in-flight and delayed messages without leasing or counting a receive', async () => {
    const q = name('peek');
    await api('POST', '/queues', { name: q, visibilityTimeoutSeconds: 120 });
    await api('POST', `/queues/${q}/messages`, { body: 'taken', attributes: { kind: 'x' } });
    clock.advance(1_000);
    const taken = await api('POST', `/queues/${q}/messages/receive`, { maxMessages: 1 });
    expect(taken.body.messages[0].body).toBe('taken');
    await api('POST', `/queues/${q}/messages`, { body: 'ready' });
    await api('POST', `/queues/${q}/messages`, { body: 'later', delaySeconds: 300 });

    const first = await api('GET', `/queues/${q}/messages?limit=10`);
    expect(first.status).toBe(200);
    const validate = await responseValidator('/queues/{name}/messages');
    expect(validate(first.body), JSON.stringify(validate.errors)).toBe(true);
    const byBody = Object.fromEntries(first.body.messages.map((m: { body: string }) => [m.body, m] as const));
    expect(first.body.messages.map((m: { body: string }) => m.body)).toEqual(['ready', 'taken', 'later']);
    expect(byBody.ready).toMatchObject({ state: 'visible', receiveCount: 0 });
    expect(byBody.taken).toMatchObject({
      state: 'inFlight',
      receiveCount: 1,
      attributes: { kind: { dataType: 'String', stringValue: 'x' } },
      visibleAt: new Date(clock.now() + 120_000).toISOString(),
    });
    expect(byBody.later).toMatchObject({ state: 'delayed', receiveCount: 0 });
    expect(byBody.taken.receiptHandle).toBeUndefined();

    // Peeking again changes nothing: same counts, same lease end.
    const again = await api('GET', `/queues/${q}/messages`);
    expect(again.body).toEqual(first.body);
    // The peeked visible message is still there for a receiver, received for the first time.
    const received = await api('POST', `/queues/${q}/messages/receive`, { maxMessages: 10 });
    expect(
      received.body.messages.map((m: { body: string; receiveCount: number }) => [m.body, m.receiveCount]),
    ).toEqual([['ready', 1]]);
    // And the first receiver's lease still holds: its handle deletes the message.
    const handle = encodeURIComponent(taken.body.messages[0].receiptHandle);
    expect((await api('DELETE', `/queues/${q}/messages/${handle}`)).status).toBe(204);
  });

  test('limit caps the page', async () => {
    const q = name('peek-limit');
    await api('POST', '/queues', { name: q, shardCount: 2 });
    for (let i = 0; i < 5; i++) {
      await api('POST', `/queues/${q}/messages`, { body: `m${i}` });
      clock.advance(10);
    }
    const page = await api('GET', `/queues/${q}/messages?limit=3`);
    expect(page.body.messages.map((m: { body: string }) => m.body)).toEqual(['m0', 'm1', 'm2']);
  });

  test('FIFO: group heads first, each group in sequence order', async () => {
    const q = `${name('peekf')}.fifo`;
    await api('POST', '/queues', { name: q, fifo: true, contentBasedDeduplication: true });
    await api('POST', `/queues/${q}/messages`, { body: 'a1', groupId: 'a' });
    await api('POST', `/queues/${q}/messages`, { body: 'a2', groupId: 'a' });
    clock.advance(10);
    await api('POST', `/queues/${q}/messages`, { body: 'b1', groupId: 'b' });
    const page = await api('GET', `/queues/${q}/messages`);
    expect(page.status).toBe(200);
    expect(page.body.messages.map((m: { body: string; groupId: string }) => [m.body, m.groupId])).toEqual([
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
    ]);
    expect(page.body.messages[0].sequenceNumber).toMatch(/^\d{20}$/);
    expect(page.body.messages.every((m: { state: string }) => m.state === 'visible')).toBe(true);
    const received = await api('POST', `/queues/${q}/messages/receive`, { maxMessages: 10 });
    expect(received.body.messages.map((m: { receiveCount: number }) => m.receiveCount)).toEqual([1, 1, 1]);
  });

  test.each(['0', '51', 'abc'])('limit=%s is refused with a problem naming the field', async (limit) => {
    const q = name('peek-bad');
    await api('POST', '/queues', { name: q });
    const response = await api('GET', `/queues/${q}/messages?limit=${limit}`);
    expect(response).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue', field: 'limit' } });
  });
});
