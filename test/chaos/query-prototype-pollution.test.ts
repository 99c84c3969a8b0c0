import { afterEach, expect, test } from 'vitest';
import { SqsJsonQueueClient } from '../../chaos/clients/sqs-json-client';
import { createQueue, queueName, useChaosService } from './support';

/**
 * FINDING 1 (SQS dialect, critical): decodeQueryParameters (functions/dialects/sqs/query-params.ts)
 * builds a tree from dotted Query parameter names with plain objects, so a parameter named
 * `__proto__.<x>` (or `constructor.prototype.<x>`) walks into Object.prototype and sets <x> on
 * EVERY object of the process. One unsigned form-encoded request is enough.
 *
 * Shown here with `purgedAt`: queue records then inherit a purge mark from the future, and every
 * receive on every queue deletes the messages it finds as "purged" instead of delivering them.
 * (Any polluted name also breaks every REST request with a body: zod's strict objects see the
 * inherited key as an unknown field.)
 */
const chaos = useChaosService();
const pollutable = Object.prototype as Record<string, unknown>;

afterEach(() => {
  delete pollutable.purgedAt;
  delete pollutable.polluted;
});

const postQuery = (url: string, body: string) =>
  fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

test('a Query parameter named __proto__.x does not reach Object.prototype', async () => {
  const response = await postQuery(chaos.url(), 'Action=ListQueues&__proto__.polluted=yes');
  expect(response.status).toBeLessThan(500);
  expect(pollutable.polluted).toBeUndefined();
  await postQuery(chaos.url(), 'Action=ListQueues&constructor.prototype.polluted=yes');
  expect(pollutable.polluted).toBeUndefined();
});

test('one request cannot make every receive delete the messages it finds', async () => {
  const queue = queueName('victim');
  await createQueue(chaos.url(), { name: queue });
  const client = chaos.rest(queue);
  await client.send([
    { id: 'a', body: 'order 1' },
    { id: 'b', body: 'order 2' },
  ]);
  await postQuery(chaos.url(), 'Action=ListQueues&__proto__.purgedAt=99999999999999');
  const consumer = new SqsJsonQueueClient(chaos.url(), `${chaos.url()}/000000000000/${queue}`);
  const received = await consumer.receive({ maxMessages: 10, waitSeconds: 0 });
  consumer.close();
  delete pollutable.purgedAt;
  const left = await client.receive({ maxMessages: 10, waitSeconds: 0 });
  expect({ received: received.length, left: left.length }).toEqual({ received: 2, left: 0 });
});
