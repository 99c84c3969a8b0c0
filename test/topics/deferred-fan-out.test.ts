import { beforeAll, expect, test } from 'vitest';
import type { TableNames } from '../../functions/store/table-layout';
import { deliveryId } from '../../functions/topics/fan-out';
import { publish } from '../../functions/topics/publish';
import { subscribe } from '../../functions/topics/subscriptions';
import { sweepOutbox } from '../../functions/topics/sweep';
import { createTopic } from '../../functions/topics/topics';
import { freshTables } from '../support/queue-fixture';
import { account, newQueue, queueArn, receiveAll, region, topicsFixture } from './fixture';

/**
 * A topic with more matching subscriptions than Publish delivers itself: Publish answers after
 * the first `inlineDeliveries`, and the sweeper's next run (no grace period to wait out) delivers
 * the rest, each queue getting the message once. Against DynamoDB Local.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

test('Publish answers after the first deliveries; the sweeper delivers the rest at once, once each', async () => {
  const fixture = topicsFixture(tables);
  const topics = { ...fixture.topics, inlineDeliveries: 2 };
  const topicRef = { account, region, name: `wide-${Math.random().toString(36).slice(2, 8)}` };
  await createTopic(topics, topicRef, {});
  const refs = [];
  for (let i = 0; i < 6; i++) {
    const ref = await newQueue(topics, `wide-q-${Math.random().toString(36).slice(2, 8)}-${i}`);
    await subscribe(topics, topicRef, {
      protocol: 'sqs',
      endpoint: queueArn(ref.name),
      owner: account,
      attributes: { RawMessageDelivery: 'true' },
    });
    refs.push(ref);
  }

  const answer = await publish(topics, topicRef, { body: 'to everyone' }, 'http://local');
  expect(answer.matched).toHaveLength(6);
  expect(answer.pending).toBe(4);
  const before = await Promise.all(refs.map((ref) => receiveAll(topics, ref)));
  expect(before.filter((messages) => messages.length === 1)).toHaveLength(2);
  expect(before.filter((messages) => messages.length === 0)).toHaveLength(4);

  // Due at once: no clock advance.
  const report = await sweepOutbox(topics, { budgetMs: 10_000 });
  expect(report).toMatchObject({ entries: 1, delivered: 4, stillPending: 0 });
  const after = await Promise.all(refs.map((ref) => receiveAll(topics, ref)));
  expect(after.map((messages) => messages.length).sort()).toEqual([0, 0, 1, 1, 1, 1]);
  // A later sweep finds nothing: the entry is gone.
  fixture.clock.advance(topics.outboxGraceMs + 1);
  expect((await sweepOutbox(topics, { budgetMs: 10_000 })).entries).toBe(0);
  // Each queue's copy carries the id made from the publish and its subscription.
  const ids = [...before, ...after].flat().map((m) => m.id);
  expect(new Set(ids).size).toBe(6);
  expect(ids).toEqual(expect.arrayContaining(answer.matched.map((s) => deliveryId(answer.messageId, s))));
});

test('a delivery id is a UUID, the same for the same publish and subscription, different otherwise', () => {
  const a = deliveryId('m1', 's1');
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(deliveryId('m1', 's1')).toBe(a);
  expect(deliveryId('m1', 's2')).not.toBe(a);
  expect(deliveryId('m2', 's1')).not.toBe(a);
});
