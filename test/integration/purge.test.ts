import { beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { listQueuesWithDepth } from '../../functions/queue/operations/depth';
import { peekMessages } from '../../functions/queue/operations/peek';
import { createQueue, describeQueue, purgeQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import type { QueueStore } from '../../functions/queue/ports/queue-store';
import { createQueueContext } from '../../functions/queue/service';
import { readyShards } from '../../functions/queue/shared/priority';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoInspectionStore } from '../../functions/store/inspection-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import type { TableNames } from '../../functions/store/table-layout';
import { dynamoClient, freshTables, queueRef, testSecret } from '../support/queue-fixture';

/**
 * Issue 15, point 3: a purge makes its messages gone for every reader at once (receive, peek and
 * every count), however long their removal from storage takes; the sweeper removes them
 * afterwards, never touching a message sent after the purge.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});
const sender = { senderId: 'tester' };

/**
 * A context whose store never gets to delete inside a request (a purge of a large queue runs out
 * of any request's time budget long before its messages are gone); the sweeper's removal works.
 */
function slowStorageContext() {
  const clock = new ManualClock(Date.now());
  const real = new DynamoQueueStore({ client: dynamoClient(), tables });
  const store = new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'purgeMessages') return async () => ({ removed: 0, done: false });
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as QueueStore;
  const ctx = createQueueContext({
    store,
    deadLetters: new DynamoDeadLetterStore({ client: dynamoClient(), tables }),
    inspection: new DynamoInspectionStore({ client: dynamoClient(), tables }),
    clock,
    receiptHandleSecret: testSecret,
    defaultShardCount: 4,
    pollIntervalMs: 50,
  });
  return { ctx, clock, real };
}

async function fill(
  ctx: ReturnType<typeof slowStorageContext>['ctx'],
  ref: ReturnType<typeof queueRef>,
  n: number,
) {
  for (let i = 0; i < n; i += 10) {
    const entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({
      id: `m${j}`,
      body: `old ${i + j}`,
      delaySeconds: (i + j) % 7 === 0 ? 60 : 0,
    }));
    await sendMessageBatch(ctx, ref, entries, sender);
  }
}

describe('purge', () => {
  test('counts read 0 at once, before the messages are removed; the sweeper removes them later', {
    timeout: 120_000,
  }, async () => {
    const { ctx, clock, real } = slowStorageContext();
    const ref = queueRef('purge');
    await createQueue(ctx, { ref });
    await fill(ctx, ref, 200);
    clock.advance(1_000);
    const leased = await receiveMessages(ctx, ref, { maxMessages: 5 });
    expect(leased).toHaveLength(5);
    clock.advance(1_000);

    expect(await purgeQueue(ctx, ref)).toEqual({ purged: 200, removal: 'background' });
    const zero = { visible: 0, inFlight: 0, delayed: 0 };
    expect((await describeQueue(ctx, ref)).counts).toEqual(zero);
    const [listed] = (
      await listQueuesWithDepth(ctx, { account: ref.account, region: ref.region, prefix: ref.name })
    ).queues;
    expect(listed!.depth).toMatchObject({ ...zero, oldestMessageAgeSeconds: 0 });
    expect(await receiveMessages(ctx, ref, { maxMessages: 10 })).toEqual([]);
    expect(await peekMessages(ctx, ref, { limit: 10 })).toEqual([]);
    const { queue } = await describeQueue(ctx, ref);
    // Still in storage (the receive removed those it met, and said so): the removal has not run.
    const raw = await real.countMessages(queue.id, readyShards(queue), clock.now());
    expect(raw.visible + raw.inFlight + raw.delayed).toBeGreaterThan(0);
    expect(queue.purgePending).toBe(raw.visible + raw.inFlight + raw.delayed);

    clock.advance(1_000);
    await sendMessage(ctx, ref, { body: 'after the purge' }, sender);
    await sendMessage(ctx, ref, { body: 'later', delaySeconds: 30 }, sender);
    expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 1, inFlight: 0, delayed: 1 });

    // The sweeper removes the purged messages a slice at a time; counts stay right throughout.
    let report = await sweep(ctx, { budgetMs: 1 });
    for (let i = 0; i < 200 && !report.complete; i++) {
      expect((await describeQueue(ctx, ref)).counts).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
      report = await sweep(ctx, { budgetMs: 200 });
    }
    expect(report.complete).toBe(true);
    const after = await describeQueue(ctx, ref);
    expect(after.queue.purgePending).toBeUndefined();
    expect(after.counts).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
    const left = await real.countMessages(queue.id, readyShards(queue), clock.now());
    expect(left).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
    expect((await receiveMessages(ctx, ref, { maxMessages: 10 })).map((m) => m.body)).toEqual([
      'after the purge',
    ]);
  });
});
