import { expect, test } from 'vitest';
import { createQueue, queueName, useChaosService } from './support';

/**
 * FINDING 4 (store): releasing a lease (visibility timeout 0) whose UpdateItem was applied but
 * whose response was lost is retried by the SDK with the same `:now`; the retry's condition
 * `v > :now` fails because the first attempt set `v = :now`, and the store reports notInFlight.
 * The caller gets 409 MessageNotInflight (SQS: AWS.SimpleQueueService.MessageNotInflight) for a
 * change that took effect.
 */
const chaos = useChaosService();

test('a release retried after a lost response succeeds', async () => {
  const queue = queueName('release');
  await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 60 });
  const client = chaos.rest(queue);
  await client.send([{ id: 'a', body: 'work' }]);
  const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
  chaos.faults.inject({
    command: 'UpdateItem',
    kind: 'dropResponse',
    waitMs: 0,
    match: (input) => input.UpdateExpression === 'SET v = :visibleAt',
  });
  const response = await fetch(`${chaos.url()}/queues/${queue}/messages/visibility`, {
    method: 'POST',
    body: JSON.stringify({ receiptHandle: message!.receiptHandle, visibilityTimeoutSeconds: 0 }),
  });
  expect(chaos.faults.pendingRules()).toBe(0);
  expect({ status: response.status, body: await response.text() }).toEqual({ status: 204, body: '' });
});
