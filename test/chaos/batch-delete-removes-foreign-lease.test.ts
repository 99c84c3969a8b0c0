import { expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { createQueue, messageDelete, queueName, useChaosService } from './support';

/**
 * FINDING 3 (store), fixed by deleting each entry with a conditional write (today the tombstone
 * update of finding 2b): the batch delete used to read the messages, then delete those whose lease has at least 5 s left with an UNCONDITIONAL BatchWriteItem. Nothing bounds when
 * that write lands: the SDK's retries (3 attempts, each up to the 5 s request timeout) and
 * writeAll's 5 rounds of backoff can take far longer than 5 s. If the lease ran out meanwhile and
 * another consumer received the message, the late write deletes the message under that
 * consumer's valid lease: a stale receipt handle deletes someone else's message.
 *
 * The clock is moved by hand, so the test does not wait for the lease to run out.
 */
const clock = new ManualClock(Date.now());
const chaos = useChaosService({ clock });

test('a batch delete with an expired handle does not delete the message another consumer now holds', async () => {
  const queue = queueName('batchdel');
  await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 30 });
  const consumerA = chaos.rest(queue);
  const consumerB = chaos.rest(queue);
  await consumerA.send([
    { id: 'a', body: 'first' },
    { id: 'b', body: 'second' },
  ]);
  const held = await consumerA.receive({ maxMessages: 2, waitSeconds: 0, visibilitySeconds: 10 });
  expect(held).toHaveLength(2);

  let takenByB: Awaited<ReturnType<typeof consumerB.receive>> = [];
  chaos.faults.inject({
    ...messageDelete,
    kind: 'timeout',
    waitMs: 0,
    // A's delete is slow to land: its leases run out, and consumer B receives the messages.
    during: async () => {
      clock.advance(11_000);
      takenByB = await consumerB.receive({ maxMessages: 2, waitSeconds: 0 });
    },
  });
  const result = await consumerA.deleteBatch(
    held.map((m, i) => ({ id: `e${i}`, receiptHandle: m.receiptHandle })),
  );
  // The delayed delete lost its lease to B; a delete that landed in time is fine.
  expect(takenByB.length).toBeGreaterThanOrEqual(1);

  // A's handles for what B received are stale: those deletes must be refused...
  const refused = result.filter((r) => r.error?.code === 'ReceiptHandleIsInvalid');
  expect(refused).toHaveLength(takenByB.length);
  // ...and B's leases must still hold the messages.
  for (const message of takenByB) {
    await expect(
      fetch(`${chaos.url()}/queues/${queue}/messages/visibility`, {
        method: 'POST',
        body: JSON.stringify({ receiptHandle: message.receiptHandle, visibilityTimeoutSeconds: 30 }),
      }).then((r) => r.status),
    ).resolves.toBe(204);
  }
});
