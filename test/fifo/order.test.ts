import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../functions/queue/clock';
import { deleteMessage, deleteMessageBatch } from '../../functions/queue/operations/acknowledge';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage, sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables } from '../support/queue-fixture';
import { fifoContext, newFifoQueue, sender } from './fifo-fixture';

/**
 * Order and exclusivity of message groups under concurrency, against DynamoDB Local. Each
 * producer and consumer has its own context, as separate Lambda containers would. The message
 * count can be raised with FIFO_ORDER_MESSAGES (5,000 is the figure).
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

const totalMessages = Number(process.env.FIFO_ORDER_MESSAGES ?? 5_000);
const groupCount = 50;
const producers = 5;
const consumers = 10;

describe('FIFO order under concurrency', () => {
  test(`${consumers} consumers over ${groupCount} groups and ${totalMessages} messages: one lease per group, send order kept`, async () => {
    const clock = new ManualClock(Date.now());
    const { ctx } = fifoContext(tables, { shards: 4, clock });
    const ref = await newFifoQueue(ctx, { visibilityTimeoutSeconds: 600 }, { prefix: 'order' });
    const perGroup = totalMessages / groupCount;
    const started = performance.now();

    // Each producer owns 10 groups and sends their messages in order, in batches of 5 messages
    // of one group and 5 of the next, going round its groups.
    const produce = async (p: number) => {
      const own = fifoContext(tables, { clock }).ctx;
      const groups = Array.from(
        { length: groupCount / producers },
        (_, i) => `g${p * (groupCount / producers) + i}`,
      );
      const queue = groups.flatMap((_, n) => Array.from({ length: perGroup }, (_, i) => ({ n, i })));
      queue.sort((a, b) => Math.floor(a.i / 5) - Math.floor(b.i / 5) || a.n - b.n || a.i - b.i);
      for (let start = 0; start < queue.length; start += 10) {
        const entries = queue.slice(start, start + 10).map(({ n, i }, k) => ({
          id: `e${k}`,
          body: `${groups[n]}:${i}`,
          groupId: groups[n]!,
          deduplicationId: `${groups[n]}-${i}`,
        }));
        const result = await sendMessageBatch(own, ref, entries, sender);
        expect(result.failed).toEqual([]);
      }
    };

    const inFlight = new Map<string, number>();
    const processed = new Map<string, number[]>();
    let done = 0;
    let maxConcurrentGroups = 0;
    const consume = async (c: number) => {
      const own = fifoContext(tables, { clock }).ctx;
      while (done < totalMessages) {
        const messages = await receiveMessages(own, ref, { maxMessages: 10, waitTimeSeconds: 1 });
        const byGroup = new Map<string, typeof messages>();
        for (const m of messages) byGroup.set(m.groupId!, [...(byGroup.get(m.groupId!) ?? []), m]);
        for (const group of byGroup.keys()) {
          expect(inFlight.get(group), `group ${group} leased to two consumers`).toBeUndefined();
          inFlight.set(group, c);
        }
        maxConcurrentGroups = Math.max(maxConcurrentGroups, inFlight.size);
        for (const [group, batch] of byGroup) {
          const seq = batch.map((m) => m.sequenceNumber!);
          expect(seq).toEqual([...seq].sort());
          for (const m of batch) {
            processed.set(group, [...(processed.get(group) ?? []), Number(m.body.split(':')[1])]);
            done++;
          }
          // The delete releases the group: nobody holds it from here on.
          inFlight.delete(group);
          const entries = batch.map((m, k) => ({ id: `d${k}`, receiptHandle: m.receiptHandle }));
          expect((await deleteMessageBatch(own, ref, entries)).failed).toEqual([]);
        }
      }
    };

    await Promise.all([
      ...Array.from({ length: producers }, (_, p) => produce(p)),
      ...Array.from({ length: consumers }, (_, c) => consume(c)),
    ]);
    const seconds = (performance.now() - started) / 1000;

    expect(processed.size).toBe(groupCount);
    for (const [group, order] of processed) {
      expect(order, `order of ${group}`).toEqual(Array.from({ length: perGroup }, (_, i) => i));
    }
    expect(maxConcurrentGroups).toBeGreaterThan(1);
    console.log(
      `[fifo] ${totalMessages} messages, ${groupCount} groups, ${producers} producers, ${consumers} consumers: ` +
        `${seconds.toFixed(1)} s end to end, ${(totalMessages / seconds).toFixed(0)} messages/s ` +
        `(send + receive + delete), up to ${maxConcurrentGroups} groups in flight at once`,
    );
  }, 600_000);

  test('one group: throughput of a single ordered stream', async () => {
    const { ctx } = fifoContext(tables);
    const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true }, { prefix: 'hot' });
    const count = 200;
    let started = performance.now();
    for (let i = 0; i < count; i++) await sendMessage(ctx, ref, { body: `m${i}`, groupId: 'hot' }, sender);
    const sendRate = count / ((performance.now() - started) / 1000);
    started = performance.now();
    for (let start = 0; start < count; start += 10) {
      const entries = Array.from({ length: 10 }, (_, k) => ({
        id: `e${k}`,
        body: `b${start + k}`,
        groupId: 'hot',
      }));
      expect((await sendMessageBatch(ctx, ref, entries, sender)).failed).toEqual([]);
    }
    const batchRate = count / ((performance.now() - started) / 1000);
    started = performance.now();
    const bodies: string[] = [];
    while (bodies.length < 2 * count) {
      const messages = await receiveMessages(ctx, ref, { maxMessages: 10 });
      for (const m of messages) {
        bodies.push(m.body);
        await deleteMessage(ctx, ref, m.receiptHandle);
      }
    }
    const consumeRate = (2 * count) / ((performance.now() - started) / 1000);
    expect(bodies).toEqual([
      ...Array.from({ length: count }, (_, i) => `m${i}`),
      ...Array.from({ length: count }, (_, i) => `b${i}`),
    ]);
    console.log(
      `[fifo] one group: send ${sendRate.toFixed(0)}/s one by one, ${batchRate.toFixed(0)}/s in batches of 10; ` +
        `receive (10 at a time) + delete ${consumeRate.toFixed(0)}/s`,
    );
  }, 300_000);

  test('5 concurrent senders to one group: every message stored once, in a single increasing order', async () => {
    const clock = new ManualClock(Date.now());
    const { ctx } = fifoContext(tables, { clock });
    const ref = await newFifoQueue(ctx, {}, { prefix: 'race' });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 5 }, async (_, s) => {
        const own = fifoContext(tables, { clock }).ctx;
        for (let i = 0; i < 20; i++) {
          await sendMessage(
            own,
            ref,
            { body: `${s}:${i}`, groupId: 'g', deduplicationId: `${s}-${i}` },
            sender,
          );
        }
      }),
    );
    const rate = 100 / ((performance.now() - started) / 1000);
    const received = [];
    for (;;) {
      const messages = await receiveMessages(ctx, ref, { maxMessages: 10 });
      if (messages.length === 0) break;
      received.push(...messages);
      for (const m of messages) await deleteMessage(ctx, ref, m.receiptHandle);
    }
    expect(received).toHaveLength(100);
    const numbers = received.map((m) => m.sequenceNumber!);
    expect(numbers).toEqual([...numbers].sort());
    expect(new Set(numbers).size).toBe(100);
    // Each sender's own messages keep its order.
    for (let s = 0; s < 5; s++) {
      const own = received.filter((m) => m.body.startsWith(`${s}:`)).map((m) => Number(m.body.split(':')[1]));
      expect(own).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
    console.log(`[fifo] one group, 5 concurrent senders: ${rate.toFixed(0)} sends/s`);
  }, 120_000);

  test('10 consumers: many groups are consumed in parallel, one group one lease at a time', async () => {
    const clock = new ManualClock(Date.now());
    const { ctx } = fifoContext(tables, { clock });
    const consumeWith10 = async (groups: number) => {
      const ref = await newFifoQueue(ctx, { contentBasedDeduplication: true, visibilityTimeoutSeconds: 600 });
      const count = 500;
      for (let start = 0; start < count; start += 10) {
        const entries = Array.from({ length: 10 }, (_, k) => ({
          id: `e${k}`,
          body: `m${start + k}`,
          groupId: `g${Math.floor((start + k) / (count / groups))}`,
        }));
        expect((await sendMessageBatch(ctx, ref, entries, sender)).failed).toEqual([]);
      }
      const started = performance.now();
      let done = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const own = fifoContext(tables, { clock }).ctx;
          while (done < count) {
            const messages = await receiveMessages(own, ref, { maxMessages: 10, waitTimeSeconds: 1 });
            done += messages.length;
            if (messages.length > 0) {
              const entries = messages.map((m, n) => ({ id: `d${n}`, receiptHandle: m.receiptHandle }));
              expect((await deleteMessageBatch(own, ref, entries)).failed).toEqual([]);
            }
          }
        }),
      );
      return count / ((performance.now() - started) / 1000);
    };
    const oneGroup = await consumeWith10(1);
    const fiftyGroups = await consumeWith10(50);
    console.log(
      `[fifo] 500 messages, 10 consumers (receive 10 + batch delete): one group ${oneGroup.toFixed(0)}/s, ` +
        `50 groups ${fiftyGroups.toFixed(0)}/s`,
    );
  }, 300_000);
});
