import { beforeAll, expect, test, vi } from 'vitest';
import { publishGauges } from '../../functions/handlers/metrics';
import { measureGauges } from '../../functions/queue/operations/gauges';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage } from '../../functions/queue/operations/send';
import { sweep } from '../../functions/queue/operations/sweep';
import type { TableNames } from '../../functions/store/table-layout';
import { freshTables, queueContext, queueRef } from '../support/queue-fixture';

/** The gauges behind the stack's alarms: dead letters waiting, and the oldest visible message's age. */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

test('gauges count dead letters and age the oldest visible message', async () => {
  const { ctx, clock } = queueContext(tables);
  expect(await measureGauges(ctx)).toEqual({ deadLetterMessages: 0, oldestMessageAgeSeconds: 0, queues: 0 });
  const dlq = queueRef('dlq');
  const source = queueRef('src');
  await createQueue(ctx, { ref: dlq });
  await createQueue(ctx, {
    ref: source,
    settings: { deadLetterQueue: dlq.name, maxReceiveCount: 1, visibilityTimeoutSeconds: 5 },
  });
  await sendMessage(ctx, source, { body: 'poison' }, { senderId: 't' });
  await sendMessage(ctx, source, { body: 'waiting' }, { senderId: 't' });
  clock.advance(90_000);
  expect(await measureGauges(ctx)).toMatchObject({
    deadLetterMessages: 0,
    oldestMessageAgeSeconds: 90,
    queues: 2,
  });

  await receiveMessages(ctx, source, { maxMessages: 10 });
  clock.advance(5_000);
  await sweep(ctx);
  const gauges = await measureGauges(ctx);
  expect(gauges.deadLetterMessages).toBe(2);

  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  publishGauges(gauges, 'queue-messages', 1_000);
  vi.restoreAllMocks();
  expect(JSON.parse(lines[0]!)).toEqual({
    _aws: {
      Timestamp: 1_000,
      CloudWatchMetrics: [
        {
          Namespace: 'ServerlessQueue',
          Dimensions: [['MessagesTable']],
          Metrics: [
            { Name: 'DeadLetterMessages', Unit: 'Count' },
            { Name: 'ApproximateAgeOfOldestMessage', Unit: 'Seconds' },
          ],
        },
      ],
    },
    MessagesTable: 'queue-messages',
    DeadLetterMessages: 2,
    ApproximateAgeOfOldestMessage: gauges.oldestMessageAgeSeconds,
  });
});
