import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  alteredHandle,
  assertRefused,
  bodyWithForbiddenCharacter,
  invalidBatchId,
  invalidQueueName,
  rawWithBadBytes,
  runs,
  send,
  snapshot,
  textWithBytesNotUtf8,
  useFuzzTarget,
} from './support';

/**
 * The REST dialect under hostile input: every request below is wrong in some way and must get a
 * 4xx with the right code, quickly, without changing anything.
 */
const target = useFuzzTarget('fzrest');
const json = { 'content-type': 'application/json' };
const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = json) =>
  send(target.url(), 'POST', path, body, headers);

const bodyRoutes = () => [
  { method: 'POST', path: '/queues' },
  { method: 'PATCH', path: `/queues/${target.queue}` },
  { method: 'POST', path: `/queues/${target.queue}/messages` },
  { method: 'POST', path: `/queues/${target.queue}/messages/receive` },
  { method: 'POST', path: `/queues/${target.queue}/messages/delete` },
  { method: 'POST', path: `/queues/${target.queue}/messages/visibility` },
];

const isJsonObject = (text: string) => {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/** Text that is not a JSON object: garbage, JSON of another type, or a JSON object cut short. */
const notAJsonObject = fc
  .oneof(
    fc.string({ minLength: 1 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .object()
      .map((o) => JSON.stringify(o))
      .chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n))),
  )
  .filter((text) => text.trim() !== '' && !isJsonObject(text));

describe('REST: malformed requests', () => {
  test('a body that is not a JSON object is MalformedRequest on every route', async () => {
    await assertRefused(
      target,
      fc.tuple(fc.constantFrom(...bodyRoutes()), notAJsonObject),
      ([route, body]) => send(target.url(), route.method, route.path, body, json),
      ['MalformedRequest'],
      [400],
    );
  });

  test('wrong types and unknown fields are named in InvalidParameterValue or MissingParameter', async () => {
    const notAString = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string()),
      fc.object(),
    );
    const notAnInteger = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.double({ noInteger: true }),
      fc.array(fc.nat()),
    );
    const requests = fc.oneof(
      notAString.map((body) => [`/queues/${target.queue}/messages`, { body }] as const),
      notAnInteger.map(
        (delaySeconds) => [`/queues/${target.queue}/messages`, { body: 'x', delaySeconds }] as const,
      ),
      notAnInteger.map(
        (maxMessages) => [`/queues/${target.queue}/messages/receive`, { maxMessages }] as const,
      ),
      notAString.map((name) => ['/queues', { name }] as const),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((key) => !['body', 'delaySeconds', 'attributes', '__proto__'].includes(key))
        .map((key) => [`/queues/${target.queue}/messages`, { body: 'x', [key]: 1 }] as const),
      fc.constant([`/queues/${target.queue}/messages`, {}] as const),
    );
    await assertRefused(
      target,
      requests,
      ([path, body]) => post(path, JSON.stringify(body)),
      ['InvalidParameterValue', 'MissingParameter'],
      [400],
    );
  });

  test('numbers out of range, fractions and overflow are InvalidParameterValue', async () => {
    const outside = (min: number, max: number) =>
      fc.oneof(
        fc.integer({ max: min - 1 }),
        fc.integer({ min: max + 1 }),
        fc.constantFrom(min - 1, max + 1, min + 0.5, 2 ** 53, -(2 ** 53)),
        fc.constantFrom('1e400', '-1e400'),
      );
    const queue = `/queues/${target.queue}`;
    const requests = fc.oneof(
      outside(1, 10).map((n) => [`${queue}/messages/receive`, 'maxMessages', n] as const),
      outside(0, 43_200).map((n) => [`${queue}/messages/receive`, 'visibilityTimeoutSeconds', n] as const),
      outside(0, 20).map((n) => [`${queue}/messages/receive`, 'waitTimeSeconds', n] as const),
      // A REST delay may reach the queue's retention (the default, 4 days, here); REST retention 365 days.
      outside(0, 345_600).map((n) => [`${queue}/messages`, 'delaySeconds', n] as const),
      outside(60, 31_536_000).map((n) => ['/queues', 'retentionSeconds', n] as const),
      outside(1, 1_000).map((n) => ['/queues', 'maxReceiveCount', n] as const),
      outside(1, 64).map((n) => ['/queues', 'shardCount', n] as const),
    );
    await assertRefused(
      target,
      requests,
      ([path, field, value]) => {
        const extra =
          path === '/queues'
            ? `"name":"${target.other}-x",`
            : path.endsWith('/messages')
              ? '"body":"x",'
              : '';
        // Literals such as 1e400 are written raw: JSON.stringify would turn Infinity into null.
        return post(path, `{${extra}"${field}":${value}}`);
      },
      ['InvalidParameterValue'],
      [400],
    );
  });

  test('the bounds themselves are accepted', async () => {
    const before = await snapshot(target);
    const bounds = fc.record({
      maxMessages: fc.constantFrom(1, 10),
      visibilityTimeoutSeconds: fc.constantFrom(0, 43_200),
      waitTimeSeconds: fc.constant(0),
    });
    await fc.assert(
      fc.asyncProperty(bounds, async (body) => {
        // The other queue is empty: a receive there changes nothing.
        const reply = await post(`/queues/${target.other}/messages/receive`, JSON.stringify(body));
        expect(reply.status, reply.text).toBe(200);
      }),
      { numRuns: 8 },
    );
    expect(await snapshot(target)).toEqual(before);
  });
});

describe('REST: message contents and batches', () => {
  test('forbidden characters in a body or attribute value are InvalidMessageContents', async () => {
    const requests = fc.oneof(
      bodyWithForbiddenCharacter.map((body) => ({ body })),
      bodyWithForbiddenCharacter.map((value) => ({ body: 'ok', attributes: { a: value } })),
      bodyWithForbiddenCharacter.map((body) => ({ messages: [{ id: 'bad', body }] })),
    );
    await assertRefused(
      target,
      requests,
      async (request) => {
        const reply = await post(`/queues/${target.other}/messages`, JSON.stringify(request));
        // A batch answers 200 and reports the entry.
        if ('messages' in request) return batchEntryError(reply, 'bad');
        return reply;
      },
      ['InvalidMessageContents'],
    );
  });

  test('bytes that are not UTF-8, in any body, are InvalidMessageContents (finding 5)', async () => {
    await assertRefused(
      target,
      fc.tuple(textWithBytesNotUtf8, fc.constantFrom(...bodyRoutes())),
      ([text, route]) =>
        send(target.url(), route.method, route.path, rawWithBadBytes('{"body":"', text, '"}'), json),
      ['InvalidMessageContents'],
      [400],
    );
  });

  test('batches: empty, too many, ids repeated or invalid', async () => {
    const entry = (id: string) => ({ id, body: 'x' });
    const requests = fc.oneof(
      fc.constant({ messages: [] as unknown[] }),
      fc
        .integer({ min: 11, max: 30 })
        .map((n) => ({ messages: Array.from({ length: n }, (_, i) => entry(`e${i}`)) })),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/).map((id) => ({ messages: [entry(id), entry(id)] })),
      invalidBatchId.map((id) => ({ messages: [entry(id)] })),
    );
    await assertRefused(
      target,
      requests,
      (body) => post(`/queues/${target.queue}/messages`, JSON.stringify(body)),
      [
        'EmptyBatchRequest',
        'TooManyEntriesInBatchRequest',
        'BatchEntryIdsNotDistinct',
        'InvalidBatchEntryId',
      ],
      [400],
    );
  });

  test('oversized: a body over 1 MiB, a batch over 1 MiB, a request over 10 MB', async () => {
    const mib = 1_048_576;
    const requests = fc.oneof(
      fc.integer({ min: 1, max: 1_000 }).map((n) => ({ body: 'a'.repeat(mib + n) })),
      fc.integer({ min: 1, max: 1_000 }).map((n) => ({
        messages: [
          { id: 'a', body: 'b'.repeat(mib / 2) },
          { id: 'b', body: 'c'.repeat(mib / 2 + n) },
        ],
      })),
    );
    await assertRefused(
      target,
      requests,
      (body) => post(`/queues/${target.queue}/messages`, JSON.stringify(body)),
      ['InvalidParameterValue', 'BatchRequestTooLong'],
      [400, 413],
    );
    const huge = await post(`/queues/${target.queue}/messages`, Buffer.alloc(10 * mib + 1, 0x61));
    expect([huge.status, huge.code]).toEqual([413, 'BatchRequestTooLong']);
  });
});

describe('REST: receipt handles, queue names and headers', () => {
  test('forged or altered receipt handles are ReceiptHandleIsInvalid and delete nothing', async () => {
    // Altered handles anywhere; the genuine one on a queue it was not issued for.
    const attempts = fc.oneof(
      fc.tuple(alteredHandle(target.handle()), fc.constantFrom('delete', 'visibility', 'other queue')),
      fc.constant([target.handle(), 'other queue'] as [string, string]),
    );
    await assertRefused(
      target,
      attempts,
      ([handle, how]) => {
        if (how === 'delete')
          return send(
            target.url(),
            'DELETE',
            `/queues/${target.queue}/messages/${encodeURIComponent(handle)}`,
          );
        if (how === 'other queue')
          return send(
            target.url(),
            'DELETE',
            `/queues/${target.other}/messages/${encodeURIComponent(handle)}`,
          );
        return post(
          `/queues/${target.queue}/messages/visibility`,
          JSON.stringify({ receiptHandle: handle, visibilityTimeoutSeconds: 5 }),
        );
      },
      ['ReceiptHandleIsInvalid'],
      [410],
    );
  });

  test('queue names with the separators our keys use are refused or unknown', async () => {
    await assertRefused(
      target,
      fc.tuple(invalidQueueName, fc.constantFrom('create', 'get', 'send', 'receive', 'delete')),
      ([name, how]) => {
        const path = `/queues/${encodeURIComponent(name)}`;
        if (how === 'create') return post('/queues', JSON.stringify({ name }));
        if (how === 'get') return send(target.url(), 'GET', path);
        if (how === 'send') return post(`${path}/messages`, JSON.stringify({ body: 'x' }));
        if (how === 'receive') return post(`${path}/messages/receive`, '{}');
        return send(target.url(), 'DELETE', path);
      },
      ['InvalidParameterValue', 'QueueDoesNotExist', 'MissingParameter'],
    );
  });

  test('huge headers are refused; odd content types never cause a 5xx', async () => {
    const before = await snapshot(target);
    const huge = await send(target.url(), 'POST', `/queues/${target.other}/messages/receive`, '{}', {
      ...json,
      'x-padding': 'a'.repeat(64 * 1024),
    });
    expect(huge.status).toBe(431);
    // Content types are not enforced (curl -d sends a form type with JSON); the body decides.
    const contentTypes = fc.oneof(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        '',
      ),
      fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,20}$/),
    );
    await fc.assert(
      fc.asyncProperty(contentTypes, async (type) => {
        const reply = await post(`/queues/${target.other}/messages/receive`, '{"maxMessages":1}', {
          'content-type': type,
        });
        expect(reply.status, reply.text).toBeLessThan(500);
      }),
      runs,
    );
    expect(await snapshot(target)).toEqual(before);
  });
});

/** A batch reply as the refusal of one entry (status of the entry's error, its code). */
function batchEntryError(reply: Awaited<ReturnType<typeof send>>, id: string) {
  if (reply.status !== 200) return reply;
  const failed = (JSON.parse(reply.text).failed as { id: string; code: string }[]).find((f) => f.id === id);
  return { ...reply, status: failed ? 400 : 200, code: failed?.code };
}
