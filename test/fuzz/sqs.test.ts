import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sqsActions } from '../../functions/dialects/sqs/actions';
import {
  alteredHandle,
  assertRefused,
  bodyWithForbiddenCharacter,
  forbiddenCharacter,
  invalidBatchId,
  invalidQueueName,
  type Reply,
  rawWithBadBytes,
  runs,
  send,
  snapshot,
  textWithBytesNotUtf8,
  useFuzzTarget,
} from './support';

/**
 * The SQS dialect under hostile input, in both protocols: each request is wrong in some way and
 * must get a 4xx with the SQS error code a client expects (JSON reports it in x-amzn-query-error,
 * Query in Error/Code), quickly, without changing anything.
 */
const target = useFuzzTarget('fzsqs');
type Protocol = 'json' | 'query';
const protocols: Protocol[] = ['json', 'query'];
type Entry = Record<string, string | number>;

/** One SQS call; lists of entries are flattened the Query way for the Query protocol. */
function sqs(
  protocol: Protocol,
  action: string,
  params: Record<string, unknown>,
  entries?: Entry[],
): Promise<Reply> {
  const url = target.url();
  if (protocol === 'json') {
    const body = JSON.stringify({ ...params, ...(entries ? { Entries: entries } : {}) });
    return send(url, 'POST', '/', body, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
    });
  }
  const form = new URLSearchParams({ Action: action, Version: '2012-11-05' });
  for (const [name, value] of Object.entries(params)) form.append(name, String(value));
  entries?.forEach((entry, index) => {
    for (const [field, value] of Object.entries(entry))
      form.append(`${action}RequestEntry.${index + 1}.${field}`, String(value));
  });
  return send(url, 'POST', '/', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
}

const nonExistent = 'AWS.SimpleQueueService.NonExistentQueue';
const batchCodes = [
  'AWS.SimpleQueueService.EmptyBatchRequest',
  'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  'AWS.SimpleQueueService.InvalidBatchEntryId',
];

describe('SQS: the request itself', () => {
  test('JSON: a bogus X-Amz-Target is InvalidAction', async () => {
    const targets = fc
      .oneof(
        fc.stringMatching(/^[\x21-\x7e]{0,60}$/),
        fc.stringMatching(/^[A-Za-z]{1,30}$/).map((action) => `AmazonSQS.${action}`),
        fc.constantFrom(
          'AmazonSQS',
          'AmazonSQS.',
          'amazonsqs.SendMessage',
          'DynamoDB_20120810.ListTables',
          `AmazonSQS.${'A'.repeat(8_000)}`,
        ),
      )
      .filter((t) => !(t.startsWith('AmazonSQS.') && Object.hasOwn(sqsActions, t.slice(10))));
    await assertRefused(
      target,
      targets,
      (amzTarget) =>
        send(target.url(), 'POST', '/', '{}', {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': amzTarget,
        }),
      ['InvalidAction'],
      [400],
    );
  });

  test('Query: a missing or unknown Action is InvalidAction; malformed forms never cause a 5xx', async () => {
    // Parameter names that reach Object.prototype are FINDING 1 in chaos/findings: left out here.
    const pollutes = /__proto__|constructor|prototype/;
    const forms = fc.oneof(
      fc.string({ maxLength: 200 }).filter((text) => !/Action/.test(text) && !pollutes.test(text)),
      fc
        .stringMatching(/^[A-Za-z]{1,30}$/)
        .filter((a) => !Object.hasOwn(sqsActions, a))
        .map((a) => `Action=${a}`),
      fc.constantFrom('Action=', 'Action', '&&&', '=%', 'Action=%ZZ', 'Attribute.1=x&Attribute.1.Name=y'),
    );
    await assertRefused(
      target,
      forms,
      (form) =>
        send(target.url(), 'POST', '/', form, { 'content-type': 'application/x-www-form-urlencoded' }),
      ['InvalidAction'],
      [400],
    );
  });

  test('JSON: a body that is not a JSON object is a serialization error', async () => {
    const bodies = fc
      .oneof(
        fc.string({ minLength: 1 }),
        fc.jsonValue().map((v) => JSON.stringify(v)),
      )
      .filter((text) => {
        try {
          const value = JSON.parse(text);
          return typeof value !== 'object' || value === null || Array.isArray(value);
        } catch {
          return text.trim() !== '';
        }
      });
    await assertRefused(
      target,
      bodies,
      (body) =>
        send(target.url(), 'POST', '/', body, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
        }),
      ['MalformedQueryString'],
      [400],
    );
  });

  test('odd content types and huge headers never cause a 5xx', async () => {
    const before = await snapshot(target);
    const types = fc.oneof(
      fc.constantFrom('text/plain', 'application/json', 'application/xml', 'application/x-amz-json-1.1', ''),
      fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,20}$/),
    );
    await fc.assert(
      fc.asyncProperty(types, fc.constantFrom('form', 'json'), async (type, shape) => {
        const body = shape === 'form' ? 'Action=ListQueues&Version=2012-11-05' : '{}';
        const reply = await send(target.url(), 'POST', '/', body, { 'content-type': type });
        expect(reply.status, reply.text).toBeLessThan(500);
      }),
      runs,
    );
    const huge = await send(target.url(), 'POST', '/', '{}', {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.ListQueues',
      'x-padding': 'p'.repeat(64 * 1024),
    });
    expect(huge.status).toBe(431);
    expect(await snapshot(target)).toEqual(before);
  });
});

describe.each(protocols)('SQS %s: parameters', (protocol) => {
  test('wrong types, missing parameters and numbers out of range', async () => {
    const queueUrl = target.queueUrl();
    const outside = (min: number, max: number) =>
      fc.oneof(
        fc.integer({ max: min - 1 }),
        fc.integer({ min: max + 1 }),
        fc.constantFrom(min - 1, max + 1, 1.5, 'abc', ''),
      );
    const calls = fc.oneof(
      outside(1, 10).map((n) => ['ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: n }] as const),
      outside(0, 43_200).map(
        (n) => ['ReceiveMessage', { QueueUrl: queueUrl, VisibilityTimeout: n }] as const,
      ),
      outside(0, 20).map((n) => ['ReceiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: n }] as const),
      outside(0, 900).map(
        (n) => ['SendMessage', { QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: n }] as const,
      ),
      fc.constant(['SendMessage', { QueueUrl: queueUrl }] as const),
      fc.constant(['ReceiveMessage', {}] as const),
      fc.constant(['DeleteMessage', { QueueUrl: queueUrl }] as const),
    );
    await assertRefused(
      target,
      calls.filter(([, params]) => !Object.values(params).some((v) => v === '' && protocol === 'query')),
      ([action, params]) => sqs(protocol, action, params),
      ['InvalidParameterValue', 'MissingParameter'],
      [400],
    );
  });

  test('forbidden characters in a message body are InvalidMessageContents', async () => {
    // The Query encoder (URLSearchParams) replaces lone surrogates itself: only other characters there.
    const bodies =
      protocol === 'json'
        ? bodyWithForbiddenCharacter
        : fc
            .tuple(
              fc.string({ maxLength: 20 }),
              forbiddenCharacter.filter((c) => !/[\uD800-\uDFFF]/.test(c)),
            )
            .map(([text, bad]) => text + bad);
    await assertRefused(
      target,
      bodies,
      (body) => sqs(protocol, 'SendMessage', { QueueUrl: target.queueUrl(target.other), MessageBody: body }),
      ['InvalidMessageContents'],
      [400],
    );
  });

  test('bytes that are not UTF-8 in a message body are InvalidMessageContents (finding 5)', async () => {
    const queueUrl = target.queueUrl(target.other);
    await assertRefused(
      target,
      textWithBytesNotUtf8,
      (text) =>
        protocol === 'json'
          ? send(
              target.url(),
              'POST',
              '/',
              rawWithBadBytes(`{"QueueUrl":"${queueUrl}","MessageBody":"`, text, '"}'),
              { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
            )
          : send(
              target.url(),
              'POST',
              '/',
              `Action=SendMessage&Version=2012-11-05&QueueUrl=${encodeURIComponent(queueUrl)}&MessageBody=` +
                `${encodeURIComponent(text.before)}${[...text.bad].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}` +
                encodeURIComponent(text.after),
              { 'content-type': 'application/x-www-form-urlencoded' },
            ),
      ['InvalidMessageContents'],
      [400],
    );
  });

  test('batches: empty, too many, ids repeated or invalid', async () => {
    const entry = (id: string): Entry => ({ Id: id, MessageBody: 'x' });
    const batches = fc.oneof(
      fc.constant([] as Entry[]),
      fc.integer({ min: 11, max: 20 }).map((n) => Array.from({ length: n }, (_, i) => entry(`e${i}`))),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/).map((id) => [entry(id), entry(id)]),
      invalidBatchId.filter((id) => protocol === 'json' || id !== '').map((id) => [entry(id)]),
    );
    await assertRefused(
      target,
      fc.tuple(
        batches,
        fc.constantFrom('SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch'),
      ),
      ([entries, action]) => sqs(protocol, action, { QueueUrl: target.queueUrl() }, entries),
      batchCodes,
      [400],
    );
  });

  test('forged or altered receipt handles are ReceiptHandleIsInvalid and delete nothing', async () => {
    const attempts = fc.oneof(
      fc.tuple(
        alteredHandle(target.handle()),
        fc.constantFrom('delete', 'visibility', 'batch', 'other queue'),
      ),
      fc.constant([target.handle(), 'other queue'] as [string, string]),
    );
    await assertRefused(
      target,
      attempts.filter(([handle]) => protocol === 'json' || !/[\uD800-\uDFFF]/.test(handle)),
      async ([handle, how]) => {
        const queueUrl = target.queueUrl(how === 'other queue' ? target.other : target.queue);
        if (how === 'visibility')
          return sqs(protocol, 'ChangeMessageVisibility', {
            QueueUrl: queueUrl,
            ReceiptHandle: handle,
            VisibilityTimeout: 5,
          });
        if (how !== 'batch')
          return sqs(protocol, 'DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: handle });
        const reply = await sqs(protocol, 'DeleteMessageBatch', { QueueUrl: queueUrl }, [
          { Id: 'x', ReceiptHandle: handle },
        ]);
        return batchEntryError(protocol, reply);
      },
      ['ReceiptHandleIsInvalid'],
      // AWS answers an invalid receipt handle with 404 (issue 14); a batch entry's failure is 400 here.
      [400, 404],
    );
  });

  test('queue names with the separators our keys use are refused or unknown', async () => {
    await assertRefused(
      target,
      fc
        .tuple(
          invalidQueueName,
          fc.constantFrom('CreateQueue', 'GetQueueUrl', 'SendMessage', 'ReceiveMessage', 'PurgeQueue'),
        )
        .filter(([name]) => protocol === 'json' || !/[\uD800-\uDFFF]/.test(name)),
      ([name, action]) => {
        if (action === 'CreateQueue' || action === 'GetQueueUrl')
          return sqs(protocol, action, { QueueName: name });
        return sqs(protocol, action, {
          QueueUrl: `${target.url()}/000000000000/${encodeURIComponent(name)}`,
          MessageBody: 'x',
        });
      },
      ['InvalidParameterValue', nonExistent],
      [400],
    );
  });
});

/** The refusal of the one entry of a batch, as if it were the reply. */
function batchEntryError(protocol: Protocol, reply: Reply): Reply {
  if (reply.status !== 200) return reply;
  const code =
    protocol === 'json'
      ? (JSON.parse(reply.text).Failed ?? [])[0]?.Code
      : /<Code>([^<]*)<\/Code>/.exec(reply.text)?.[1];
  return { ...reply, status: code ? 400 : 200, code };
}
