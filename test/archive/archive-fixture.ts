import { ManualClock } from '../../functions/queue/clock';
import type { QueueContext } from '../../functions/queue/context';
import type { QueueRef, ReceivedMessage } from '../../functions/queue/model';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { createQueueContext } from '../../functions/queue/service';
import { DynamoArchiveStore } from '../../functions/store/archive-store';
import { DynamoDeadLetterStore } from '../../functions/store/dead-letter-store';
import { DynamoFifoStore } from '../../functions/store/fifo-store';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import type { TableNames } from '../../functions/store/table-layout';
import { capacityLog, dynamoClient, testSecret } from '../support/queue-fixture';

/** A queue context with archives and FIFO storage over DynamoDB Local, a hand-moved clock. */
export function archiveContext(tables: TableNames, clock = new ManualClock(Date.now())) {
  const capacity = capacityLog();
  const options = { client: dynamoClient(), tables, onConsumed: capacity.record };
  const ctx: QueueContext = createQueueContext({
    store: new DynamoQueueStore(options),
    deadLetters: new DynamoDeadLetterStore(options),
    fifo: new DynamoFifoStore(options),
    archive: new DynamoArchiveStore(options),
    clock,
    receiptHandleSecret: testSecret,
    defaultShardCount: 4,
    pollIntervalMs: 50,
    queueCacheMs: 0,
  });
  return { ctx, clock, capacity, archive: options };
}

/** Receives and deletes everything visible now (up to `max`). */
export async function drain(ctx: QueueContext, ref: QueueRef, max = 100_000): Promise<ReceivedMessage[]> {
  const all: ReceivedMessage[] = [];
  for (let empty = 0; empty < 2 && all.length < max; ) {
    const got = await receiveMessages(ctx, ref, { maxMessages: 10 });
    if (got.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    all.push(...got);
    await Promise.all(got.map((m) => deleteMessage(ctx, ref, m.receiptHandle)));
  }
  return all;
}
