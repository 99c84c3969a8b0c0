import { describe, expect, test } from 'vitest';
import { createQueue, queueName, useChaosService } from '../../test/chaos/support';

/**
 * FINDING 5 (dialects + local host): request bytes that are not valid UTF-8 (here ED A0 80, a
 * lone surrogate encoded as CESU-8, and FF) are decoded with replacement, so the service stores
 * and acknowledges a body that differs from the one sent (U+FFFD instead of the bytes), with an
 * MD5OfMessageBody of the altered text. The same holds for percent-encoded bytes in a Query form.
 * Expected: 400 (InvalidMessageContents or MalformedRequest), nothing stored.
 */
const chaos = useChaosService();
const loneSurrogate = Buffer.from([0xed, 0xa0, 0x80]);

async function refusedWithoutEffect(queue: string, request: () => Promise<Response>): Promise<void> {
  const response = await request();
  expect(response.status, await response.clone().text()).toBe(400);
  expect(await chaos.rest(queue).receive({ maxMessages: 10, waitSeconds: 0 })).toEqual([]);
}

describe('bodies that are not valid UTF-8 are refused', () => {
  test('REST, raw bytes', async () => {
    const queue = queueName('utf8');
    await createQueue(chaos.url(), { name: queue });
    await refusedWithoutEffect(queue, () =>
      fetch(`${chaos.url()}/queues/${queue}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat([Buffer.from('{"body":"a'), loneSurrogate, Buffer.from('b"}')]),
      }),
    );
  });

  test('SQS JSON, raw bytes', async () => {
    const queue = queueName('utf8');
    await createQueue(chaos.url(), { name: queue });
    const queueUrl = `${chaos.url()}/000000000000/${queue}`;
    await refusedWithoutEffect(queue, () =>
      fetch(`${chaos.url()}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
        body: Buffer.concat([
          Buffer.from(`{"QueueUrl":"${queueUrl}","MessageBody":"a`),
          Buffer.from([0xff]),
          Buffer.from('b"}'),
        ]),
      }),
    );
  });

  test('SQS Query, percent-encoded bytes', async () => {
    const queue = queueName('utf8');
    await createQueue(chaos.url(), { name: queue });
    const queueUrl = encodeURIComponent(`${chaos.url()}/000000000000/${queue}`);
    await refusedWithoutEffect(queue, () =>
      fetch(`${chaos.url()}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Action=SendMessage&QueueUrl=${queueUrl}&MessageBody=a%ED%A0%80b`,
      }),
    );
  });
});
