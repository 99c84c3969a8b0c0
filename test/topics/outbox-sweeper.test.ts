import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import type { TableNames } from '../../functions/store/table-layout';
import { publish } from '../../functions/topics/publish';
import { subscribe } from '../../functions/topics/subscriptions';
import { sweepOutbox } from '../../functions/topics/sweep';
import { createTopic } from '../../functions/topics/topics';
import { dynamoClient, freshTables } from '../support/queue-fixture';
import { account, newQueue, queueArn, receiveAll, region, topicsFixture } from './fixture';

/**
 * Durability of publish under faults DynamoDB Local cannot produce, put in front of it as client
 * middleware: a publisher that dies after its first delivery, and throttled deliveries. Once
 * Publish has answered, the sweeper (a later process, after the grace period) delivers to every
 * matching queue; FIFO queues and non-crash faults get no duplicates.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

type Fault = (command: string, input: Record<string, any>) => void;

/** A client whose calls pass through `fault` first (which throws to fail the call). */
function faultyClient(fault: Fault) {
  const client = dynamoClient();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      fault(context.commandName ?? '', args.input as Record<string, any>);
      return next(args);
    },
    { step: 'initialize', name: 'injectedFault' },
  );
  return client;
}

const isMessageWrite = (command: string, input: Record<string, any>) =>
  command === 'PutItemCommand' && String(input.Item?.pk?.S ?? '').startsWith('m#');
const isOutboxWrite = (command: string, input: Record<string, any>) =>
  command === 'PutItemCommand' && String(input.Item?.pk?.S ?? '').startsWith('ob#');
/** A write that stores a message in a queue, standard (`m#`) or FIFO (`fm#`), in any command. */
const isDeliveryWrite = (command: string, input: Record<string, any>) =>
  isWrite(command) && /"S":"f?m#/.test(JSON.stringify(input));
const isWrite = (command: string) => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(command);

/** Dies after the outbox entry and one message write: every later write of this process fails. */
function diesAfterFirstDelivery() {
  const state = { outboxWritten: false, deliveries: 0, dead: false };
  const client = faultyClient((command, input) => {
    if (state.dead && isWrite(command))
      throw Object.assign(new Error('the process died'), { name: 'ProcessDied' });
    if (isOutboxWrite(command, input)) state.outboxWritten = true;
    else if (state.outboxWritten && isDeliveryWrite(command, input)) {
      state.deliveries++;
      if (state.deliveries > 1) {
        state.dead = true;
        throw Object.assign(new Error('the process died'), { name: 'ProcessDied' });
      }
    }
  });
  return { client, state };
}

async function setUp(fifo: boolean, queues: number) {
  const healthy = topicsFixture(tables);
  const suffix = fifo ? '.fifo' : '';
  const topicRef = { account, region, name: `t-${Math.random().toString(36).slice(2, 8)}${suffix}` };
  await createTopic(healthy.topics, topicRef, { attributes: fifo ? { FifoTopic: 'true' } : {} });
  const refs = [];
  for (let i = 0; i < queues; i++) {
    const ref = await newQueue(healthy.topics, `q-${Math.random().toString(36).slice(2, 8)}-${i}${suffix}`);
    await subscribe(healthy.topics, topicRef, {
      protocol: 'sqs',
      endpoint: queueArn(ref.name),
      owner: account,
      attributes: { RawMessageDelivery: 'true' },
    });
    refs.push(ref);
  }
  return { topicRef, refs, healthy };
}

describe('an acknowledged publish survives its publisher', () => {
  test('a delivery received and deleted before the sweep is not delivered again (its tombstone keeps the id)', async () => {
    const { topicRef, refs, healthy } = await setUp(false, 3);
    const { client, state } = diesAfterFirstDelivery();
    const dying = topicsFixture(tables, { client, clock: healthy.clock });
    await publish(dying.topics, topicRef, { body: 'consumed early' }, 'http://local');
    expect(state.dead).toBe(true);
    // Whichever queue got it before the crash: its consumer takes it and deletes it.
    const early = [];
    for (const ref of refs) {
      for (const m of await receiveAll(healthy.topics, ref)) {
        await deleteMessage(healthy.topics.queue, ref, m.receiptHandle);
        early.push(ref.name);
      }
    }
    expect(early).toHaveLength(1);
    healthy.clock.advance(healthy.topics.outboxGraceMs + 1);
    expect(await sweepOutbox(healthy.topics, { budgetMs: 10_000 })).toMatchObject({ entries: 1 });
    for (const ref of refs) {
      const expected = ref.name === early[0] ? [] : ['consumed early'];
      expect((await receiveAll(healthy.topics, ref)).map((m) => m.body)).toEqual(expected);
    }
  });

  test('dying mid-fan-out: the sweeper delivers to every queue', async () => {
    const { topicRef, refs, healthy } = await setUp(false, 3);
    const { client, state } = diesAfterFirstDelivery();
    const dying = topicsFixture(tables, { client, clock: healthy.clock });
    const answer = await publish(dying.topics, topicRef, { body: 'important' }, 'http://local');
    expect(state.dead).toBe(true);
    expect(answer.matched).toHaveLength(3);
    expect(answer.pending).toBe(2);

    // Before the grace period the sweeper leaves it alone (the publisher may still be working).
    expect((await sweepOutbox(healthy.topics, { budgetMs: 10_000 })).entries).toBe(0);
    healthy.clock.advance(healthy.topics.outboxGraceMs + 1);
    const report = await sweepOutbox(healthy.topics, { budgetMs: 10_000 });
    expect(report).toMatchObject({ entries: 1, stillPending: 0, complete: true });
    const copies = await Promise.all(refs.map((ref) => receiveAll(healthy.topics, ref)));
    // Every queue has it once: the sweeper's repeat of the delivery made before the crash used the
    // same message id, and the queue's conditional put stored nothing the second time.
    for (const messages of copies) expect(messages.map((m) => m.body)).toEqual(['important']);
    expect(new Set(copies.flat().map((m) => m.id)).size).toBe(3);
    // Nothing is left for a later sweep.
    healthy.clock.advance(healthy.topics.outboxGraceMs + 1);
    expect((await sweepOutbox(healthy.topics, { budgetMs: 10_000 })).entries).toBe(0);
  });

  test('FIFO: the repeated deliveries are deduplicated, each queue has it exactly once', async () => {
    const { topicRef, refs, healthy } = await setUp(true, 3);
    const { client, state } = diesAfterFirstDelivery();
    const dying = topicsFixture(tables, { client, clock: healthy.clock });
    await publish(
      dying.topics,
      topicRef,
      { body: 'once', groupId: 'g', deduplicationId: 'd1' },
      'http://local',
    );
    expect(state.dead).toBe(true);
    healthy.clock.advance(healthy.topics.outboxGraceMs + 1);
    await sweepOutbox(healthy.topics, { budgetMs: 10_000 });
    for (const ref of refs) {
      const messages = await receiveAll(healthy.topics, ref);
      expect(messages.map((m) => m.body)).toEqual(['once']);
    }
  });

  test('throttled deliveries (no crash): retried by the sweeper, no queue gets a duplicate', async () => {
    const { topicRef, refs, healthy } = await setUp(false, 3);
    const throttledQueue = (await healthy.topics.queue.store.getQueue(refs[1]!))!.id;
    let throttling = true;
    const client = faultyClient((command, input) => {
      if (
        throttling &&
        isMessageWrite(command, input) &&
        String(input.Item.pk.S).startsWith(`m#${throttledQueue}#`)
      ) {
        throw new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} });
      }
    });
    const throttled = topicsFixture(tables, { client, clock: healthy.clock });
    const answer = await publish(throttled.topics, topicRef, { body: 'eventually' }, 'http://local');
    expect(answer.pending).toBe(1);
    throttling = false;
    healthy.clock.advance(healthy.topics.outboxGraceMs + 1);
    const report = await sweepOutbox(healthy.topics, { budgetMs: 10_000 });
    expect(report).toMatchObject({ entries: 1, delivered: 1, stillPending: 0 });
    for (const ref of refs) {
      expect((await receiveAll(healthy.topics, ref)).map((m) => m.body)).toEqual(['eventually']);
    }
  });
});
