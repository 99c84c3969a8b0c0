import { describe, expect, test } from 'vitest';
import { createQueue, queueName, useChaosService } from './support';

/**
 * FINDING 5 (dialects + local host, fixed): request bytes that are not valid UTF-8 (here ED A0 80,
 * a lone surrogate encoded as CESU-8, and FF) were decoded with replacement, so the service stored
 * and acknowledged a body that differed from the one sent (U+FFFD instead of the bytes), with an
 * MD5OfMessageBody of the altered text. The same held for percent-encoded bytes in a Query form.
 * Now the local host passes such bytes on base64-encoded (as binary) and the dialects decode every
 * body and form with a fatal decoder (functions/dialects/http.ts): 400 InvalidMessageContents in
 * each dialect's error shape, nothing stored.
 */
const chaos = useChaosService();
const loneSurrogate = Buffer.from([0xed, 0xa0, 0x80]);

async function refusedWithoutEffect(queue: string, request: () => Promise<Response>): Promise<void> {
  const response = await request();
  const text = await response.clone().text();
  expect(response.status, text).toBe(400);
  // REST problem `code`, SQS JSON `__type`, SQS Query `<Code>`.
  expect(text).toContain('InvalidMessageContents');
  expect(text).toContain('not valid UTF-8');
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

describe('valid UTF-8 in every form still arrives byte for byte', () => {
  const text = 'a€𝄞 +%&=é\u00a0z';

  test('REST', async () => {
    const queue = queueName('utf8ok');
    await createQueue(chaos.url(), { name: queue });
    await chaos.rest(queue).send([{ id: 'a', body: text }]);
    const [message] = await chaos.rest(queue).receive({ maxMessages: 1, waitSeconds: 0 });
    expect(message!.body).toBe(text);
  });

  test('SQS Query, percent-encoded and with + for spaces', async () => {
    const queue = queueName('utf8ok');
    await createQueue(chaos.url(), { name: queue });
    const queueUrl = `${chaos.url()}/000000000000/${queue}`;
    const response = await fetch(`${chaos.url()}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: text }).toString(),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const [message] = await chaos.rest(queue).receive({ maxMessages: 1, waitSeconds: 0 });
    expect(message!.body).toBe(text);
  });
});
