import { beforeAll, expect, test } from 'vitest';
import { browseArchive } from '../../functions/queue/archive/browse';
import { startReplay } from '../../functions/queue/archive/replay';
import { runReplays } from '../../functions/queue/archive/run-replays';
import type { MoveTask } from '../../functions/queue/model';
import { createQueue, describeQueue } from '../../functions/queue/operations/queues';
import { sendMessageBatch } from '../../functions/queue/operations/send';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueRef } from '../support/queue-fixture';
import { archiveContext } from './archive-fixture';

/**
 * A replay of a large archive completes in slices (as across scheduled invocations), with
 * progress that only grows, a restart between slices (a new context each time), and every
 * archived message replayed exactly once. Prints the throughput measured on DynamoDB Local.
 */
// 2,000 in `npm test` (about a minute less); the README's figure is a run of 10,000:
// LARGE_REPLAY_MESSAGES=10000 npx vitest run test/archive/large-replay.test.ts
const total = Number(process.env.LARGE_REPLAY_MESSAGES ?? 2_000);
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

test(`a replay of ${total} archived messages completes in slices, with progress`, {
  timeout: 900_000,
}, async () => {
  const { ctx, clock } = archiveContext(tables);
  const source = queueRef('big-archive');
  const destination = queueRef('big-replay');
  await createQueue(ctx, { ref: source, settings: { archiveRetentionSeconds: 86_400 } });
  await createQueue(ctx, { ref: destination });
  const from = clock.now();
  const batches = Array.from({ length: total / 10 }, (_, b) =>
    Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `archived ${b * 10 + i}` })),
  );
  for (let i = 0; i < batches.length; i += 20) {
    await Promise.all(
      batches.slice(i, i + 20).map(async (entries) => {
        // DynamoDB Local refuses a write now and then under this load: send those entries again.
        let pending = entries;
        while (pending.length > 0) {
          const { failed } = await sendMessageBatch(ctx, source, pending, { senderId: 'loader' });
          pending = pending.filter((entry) => failed.some((f) => f.id === entry.id));
        }
      }),
    );
    clock.advance(1);
  }
  const started = performance.now();
  const task = await startReplay(ctx, { source, from, to: clock.now(), destination: destination.name });
  expect(task.toMove).toBe(total);
  const progress: number[] = [];
  let latest: MoveTask | undefined = task;
  while (latest?.status === 'RUNNING') {
    // Each slice in a fresh context: a restarted process resumes from the saved cursor.
    [latest] = await runReplays(archiveContext(tables, clock).ctx, { budgetMs: 5_000 });
    progress.push(latest?.moved ?? -1);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `replay of ${total} messages: ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(0)} messages/s, ` +
      `${progress.length} slices, progress ${progress.join(' -> ')}`,
  );
  expect(latest).toMatchObject({ status: 'COMPLETED', moved: total, toMove: total });
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect((await describeQueue(ctx, destination)).counts.visible).toBe(total);
  expect((await browseArchive(ctx, source, { from, limit: 1 })).messages).toHaveLength(1);
});
