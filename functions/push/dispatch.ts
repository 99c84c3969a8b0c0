import { performance } from 'node:perf_hooks';
import { isQueueError } from '../queue/errors';
import type { QueueRecord, ReceivedMessage } from '../queue/model';
import { deleteMessageBatch } from '../queue/operations/acknowledge';
import { receiveMessages } from '../queue/operations/receive';
import { pause } from '../queue/shared/long-poll';
import type { PushContext } from './context';
import type { ConsumerRecord } from './model';
import { messagesToDelete, outcomeOf } from './outcome';

/**
 * The dispatcher: for every enabled consumer, workers take a delivery slot (the cap on deliveries
 * in flight holds across processes: store/consumer-store.ts), receive a batch through the queue's
 * own receive (so leases, receive counts and dead-lettering are those of any receiver), hand it to
 * the target and delete what succeeded. A failed batch is left to its lease: it comes back after the
 * visibility timeout, as Lambda's event source mapping does.
 */
export interface DispatchReport {
  delivered: number;
  failedBatches: number;
  batches: number;
}

/** Deliveries of one process to one consumer at once, whatever its maximumConcurrency. */
const maxWorkersPerProcess = 10;
const pollMs = 200;

export async function dispatch(
  ctx: PushContext,
  options: {
    budgetMs: number;
    /** Only the consumers of these queues (by id): those a stream of new messages named. */
    queueIds?: ReadonlySet<string>;
  },
): Promise<DispatchReport> {
  const deadline = performance.now() + options.budgetMs;
  const report: DispatchReport = { delivered: 0, failedBatches: 0, batches: 0 };
  const consumers = (await ctx.store.listAllConsumers()).filter(
    (c) => c.enabled && (!options.queueIds || options.queueIds.has(c.queueId)),
  );
  await Promise.all(consumers.map((consumer) => dispatchConsumer(ctx, consumer, deadline, report)));
  return report;
}

async function dispatchConsumer(
  ctx: PushContext,
  consumer: ConsumerRecord,
  deadline: number,
  report: DispatchReport,
): Promise<void> {
  const backoff = ctx.backoff.get(consumer.id);
  if (backoff && backoff.until > ctx.clock.now()) return;
  const queue = await ctx.queue.queues.find(consumer.queue);
  if (!queue || queue.id !== consumer.queueId) return;
  const workers = Math.min(consumer.maximumConcurrency, maxWorkersPerProcess);
  await Promise.all(Array.from({ length: workers }, () => work(ctx, consumer, queue, deadline, report)));
}

/** One worker: slot, batch, delivery, outcome; again while there are messages and time. */
async function work(
  ctx: PushContext,
  consumer: ConsumerRecord,
  queue: QueueRecord,
  deadline: number,
  report: DispatchReport,
): Promise<void> {
  // A delivery may take as long as the lease lets the target work on the batch, but ends before
  // the lease does, so nothing is delivered twice at once.
  const timeoutMs = Math.max(1_000, Math.min(queue.visibilityTimeoutSeconds * 1000 - 1_000, 60_000));
  // A batch taken before the deadline is delivered to its end: callers leave a delivery's time spare.
  while (performance.now() < deadline) {
    const backoff = ctx.backoff.get(consumer.id);
    if (backoff && backoff.until > ctx.clock.now()) return;
    const now = ctx.clock.now();
    const claim = await ctx.store.claimSlot(
      consumer.id,
      consumer.maximumConcurrency,
      now,
      now + timeoutMs + 5_000,
    );
    if (claim === undefined) return;
    try {
      const batch = await collect(ctx, consumer, queue, deadline);
      if (batch.length === 0) return;
      await deliver(ctx, consumer, queue, batch, timeoutMs, report);
    } finally {
      await ctx.store.releaseSlot(consumer.id, claim).catch(() => undefined);
    }
  }
}

/** Up to batchSize messages, waiting up to the batching window for more once one has arrived. */
async function collect(
  ctx: PushContext,
  consumer: ConsumerRecord,
  queue: QueueRecord,
  deadline: number,
): Promise<ReceivedMessage[]> {
  const batch: ReceivedMessage[] = [];
  const windowEnds = performance.now() + consumer.maximumBatchingWindowSeconds * 1000;
  for (;;) {
    const wanted = consumer.batchSize - batch.length;
    const got = await receiveMessages(ctx.queue, queue.ref, {
      maxMessages: Math.min(10, wanted),
      waitTimeSeconds: 0,
    });
    batch.push(...got);
    if (batch.length >= consumer.batchSize) return batch;
    const now = performance.now();
    if (got.length > 0 && batch.length < consumer.batchSize && now < windowEnds) continue;
    if (batch.length === 0 || now >= windowEnds || now >= deadline) return batch;
    await pause(Math.min(pollMs, windowEnds - now));
  }
}

async function deliver(
  ctx: PushContext,
  consumer: ConsumerRecord,
  queue: QueueRecord,
  batch: ReceivedMessage[],
  timeoutMs: number,
  report: DispatchReport,
): Promise<void> {
  report.batches++;
  let answer: unknown;
  try {
    answer = await ctx.targets.deliver(consumer, batch, timeoutMs);
  } catch {
    failed(ctx, consumer, report);
    return;
  }
  const outcome = outcomeOf(answer, consumer.reportBatchItemFailures, batch);
  const done = messagesToDelete(outcome, batch, Boolean(queue.fifo));
  for (let i = 0; i < done.length; i += 10) {
    const chunk = done.slice(i, i + 10);
    try {
      const result = await deleteMessageBatch(
        ctx.queue,
        queue.ref,
        chunk.map((m, j) => ({ id: `d${j}`, receiptHandle: m.receiptHandle })),
      );
      report.delivered += result.successful.length;
    } catch (error) {
      // Not deleted: the message comes back after its lease and is delivered again (at least once).
      if (!isQueueError(error)) throw error;
    }
  }
  // Only a whole-batch failure backs the target off: a partial one is the target working.
  if ('ok' in outcome && !outcome.ok) failed(ctx, consumer, report);
  else ctx.backoff.delete(consumer.id);
}

/** A failing target is backed off, 1 s doubling to 60 s, not hammered; a success resets it. */
function failed(ctx: PushContext, consumer: ConsumerRecord, report: DispatchReport) {
  report.failedBatches++;
  const failures = (ctx.backoff.get(consumer.id)?.failures ?? 0) + 1;
  ctx.backoff.set(consumer.id, {
    failures,
    until: ctx.clock.now() + Math.min(60_000, 1_000 * 2 ** (failures - 1)),
  });
}
