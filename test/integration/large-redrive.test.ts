import { beforeAll, expect, test } from 'vitest';
import type { MoveTask } from '../../functions/queue/model';
import { runMoveTasks, startMoveTask } from '../../functions/queue/operations/move-tasks';
import { createQueue, describeQueue } from '../../functions/queue/operations/queues';
import { sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/**
 * A large dead-letter queue drains completely through a rate-limited move task that runs in
 * slices (as it does across scheduled Lambda invocations) and reports its progress. Prints the
 * redrive throughput measured on DynamoDB Local.
 */
const total = Number(process.env.LARGE_REDRIVE_MESSAGES ?? 10_000);
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

test(`a move task of ${total} messages completes in slices, with progress`, {
  timeout: 600_000,
}, async () => {
  const { ctx } = queueContext(tables, { shards: 4 });
  const dlq = queueRef('big-dlq');
  const destination = queueRef('big-dest');
  await createQueue(ctx, { ref: dlq });
  await createQueue(ctx, { ref: destination });
  const batches = Array.from({ length: total / 10 }, (_, b) =>
    Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `dead letter ${b * 10 + i}` })),
  );
  for (let i = 0; i < batches.length; i += 20) {
    await Promise.all(
      batches.slice(i, i + 20).map((entries) => sendMessageBatch(ctx, dlq, entries, { senderId: 'loader' })),
    );
  }

  const started = performance.now();
  const task = await startMoveTask(ctx, { source: dlq, destination: destination.name, maxPerSecond: 500 });
  expect(task.toMove).toBe(total);
  const progress: number[] = [];
  let latest: MoveTask | undefined = task;
  // 5-second slices stand in for scheduled invocations that each run until their time is up.
  while (latest?.status === 'RUNNING') {
    [latest] = await runMoveTasks(ctx, { budgetMs: 5_000 });
    progress.push(latest?.moved ?? -1);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `redrive of ${total} messages: ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(0)} messages/s, ` +
      `${progress.length} slices, progress ${progress.join(' -> ')}`,
  );
  expect(latest).toMatchObject({ status: 'COMPLETED', moved: total });
  expect(progress.length).toBeGreaterThan(1);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect((await describeQueue(ctx, dlq)).counts.visible).toBe(0);
  expect((await describeQueue(ctx, destination)).counts.visible).toBe(total);
});
