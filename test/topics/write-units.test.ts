import { beforeAll, expect, test } from 'vitest';
import type { TableNames } from '../../functions/store/table-layout';
import { publish } from '../../functions/topics/publish';
import { subscribe } from '../../functions/topics/subscriptions';
import { createTopic } from '../../functions/topics/topics';
import { freshTables } from '../support/queue-fixture';
import { account, newQueue, queueArn, region, topicsFixture } from './fixture';

/**
 * DynamoDB write units of a publish, measured on DynamoDB Local (ReturnConsumedCapacity INDEXES):
 * the figures the README gives. Per publish: the outbox entry written and removed; per delivery:
 * the queue's own send (message item + ready index).
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

async function measure(fifo: boolean, subscriptions: number, raw: boolean, bodyBytes = 300) {
  const { topics, capacity } = topicsFixture(tables);
  const suffix = fifo ? '.fifo' : '';
  const topic = { account, region, name: `wu-${Math.random().toString(36).slice(2, 8)}${suffix}` };
  await createTopic(topics, topic, { attributes: fifo ? { FifoTopic: 'true' } : {} });
  for (let i = 0; i < subscriptions; i++) {
    const queue = await newQueue(topics, `${topic.name.replace('.fifo', '')}-${i}${suffix}`);
    await subscribe(topics, topic, {
      protocol: 'sqs',
      endpoint: queueArn(queue.name),
      owner: account,
      attributes: { RawMessageDelivery: String(raw) },
    });
  }
  capacity.clear();
  await publish(
    topics,
    topic,
    { body: 'x'.repeat(bodyBytes), ...(fifo ? { groupId: 'g', deduplicationId: 'd' } : {}) },
    'http://local',
  );
  const units = (operations: string[]) => {
    const t = capacity.total((op) => operations.includes(op));
    return t.table + t.index;
  };
  return {
    outbox: units(['putOutbox', 'removeOutbox']),
    deduplication: units(['claimDeduplicationId']),
    deliveries: capacity.total((op) =>
      ['putMessages', 'putParts', 'fifoAppend', 'fifoPutParts'].includes(op),
    ),
    total: capacity.total(),
  };
}

test('write units per publish and per delivery (300-byte body)', async () => {
  const oneRaw = await measure(false, 1, true);
  const tenEnvelopes = await measure(false, 10, false);
  const fifo = await measure(true, 1, true);
  console.log(JSON.stringify({ oneRaw, tenEnvelopes, fifo }));
  // Per publish: the outbox entry, put then removed (1 + 1 while the entry is within 1 KB).
  expect(oneRaw.outbox).toBe(2);
  // Per delivery to a standard queue: the queue's send, message item + ready index (1 + 1).
  expect(oneRaw.deliveries).toEqual({ table: 1, index: 1 });
  // Ten matched subscriptions make the entry about 2.3 KB (3 + 3); the envelope (signature, URLs)
  // takes a 300-byte body past 1 KB, so each envelope delivery is 2 + 1.
  expect(tenEnvelopes.outbox).toBe(6);
  expect(tenEnvelopes.deliveries).toEqual({ table: 20, index: 10 });
  // A FIFO delivery is the FIFO queue's send: one transaction (message item and group head).
  expect(fifo.deliveries).toEqual({ table: 8, index: 4 });
  // FIFO topics add the deduplication record.
  expect(fifo.deduplication).toBe(1);
});
