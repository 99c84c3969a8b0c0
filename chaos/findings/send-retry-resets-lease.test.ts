import { describe, expect, test } from 'vitest';
import { createQueue, queueName, useChaosService } from '../../test/chaos/support';

/**
 * FINDING 2 (store): a send whose BatchWriteItem was applied but whose response was lost is
 * written AGAIN by the SDK's retry (and by writeAll's own retry). The put is unconditional, so
 * if a consumer leased the message in between, the second write resets it (no lease token,
 * receive count 0, visible now): another consumer receives it while the first still holds a
 * valid lease, and the first one's delete is refused. If the first consumer deleted it in
 * between, the retry brings the deleted message back.
 */
const chaos = useChaosService();

describe('a send retried after a lost response', () => {
  test('does not reset a lease taken in between', async () => {
    const queue = queueName('reput');
    await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 60 });
    const consumerA = chaos.rest(queue);
    let leasedByA: Awaited<ReturnType<typeof consumerA.receive>> = [];
    chaos.faults.inject({
      command: 'BatchWriteItem',
      kind: 'dropResponse',
      waitMs: 0,
      // The message is stored; before the producer hears back, consumer A takes it.
      during: async () => {
        leasedByA = await consumerA.receive({ maxMessages: 1, waitSeconds: 0 });
      },
    });
    const [sent] = await chaos.rest(queue).send([{ id: 'only', body: 'work' }]);
    expect(sent?.messageId).toBeDefined();
    expect(leasedByA.map((m) => m.messageId)).toEqual([sent!.messageId]);

    // A holds a 60 s lease: nobody else may receive the message now.
    const consumerB = await chaos.rest(queue).receive({ maxMessages: 1, waitSeconds: 0 });
    expect(consumerB).toEqual([]);
    await expect(consumerA.delete(leasedByA[0]!.receiptHandle)).resolves.toBeUndefined();
  });

  test('does not bring back a message deleted in between', async () => {
    const queue = queueName('resurrect');
    await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 60 });
    const consumer = chaos.rest(queue);
    chaos.faults.inject({
      command: 'BatchWriteItem',
      kind: 'dropResponse',
      waitMs: 0,
      during: async () => {
        const [message] = await consumer.receive({ maxMessages: 1, waitSeconds: 0 });
        await consumer.delete(message!.receiptHandle);
      },
    });
    await chaos.rest(queue).send([{ id: 'only', body: 'processed once' }]);
    expect(await consumer.receive({ maxMessages: 10, waitSeconds: 0 })).toEqual([]);
  });
});
