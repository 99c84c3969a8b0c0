import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import type { TableNames } from '../../functions/store/table-layout';
import type { TopicMessageAttributes } from '../../functions/topics/model';
import { publish } from '../../functions/topics/publish';
import { subscribe } from '../../functions/topics/subscriptions';
import { createTopic } from '../../functions/topics/topics';
import { freshTables } from '../support/queue-fixture';
import { account, newQueue, queueArn, receiveAll, region, topicsFixture } from './fixture';

/**
 * Property, end to end over DynamoDB Local: a queue subscribed with a random filter policy
 * receives exactly the published messages the policy matches (decided here by a small model of
 * SNS's rules, written apart from the service's matcher), and an unfiltered queue receives all.
 */
let tables: TableNames;
beforeAll(async () => {
  tables = await freshTables();
});

type Condition =
  | { kind: 'equals'; value: string | number }
  | { kind: 'prefix'; value: string }
  | { kind: 'anythingBut'; values: (string | number)[] }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'exists'; value: boolean };

interface Message {
  color?: string;
  size?: number;
  tags?: string[];
}

const colors = ['red', 'green', 'grey', 'blue'];
const color = fc.constantFrom(...colors);
const size = fc.integer({ min: 0, max: 10 });

const stringCondition: fc.Arbitrary<Condition> = fc.oneof(
  color.map((value) => ({ kind: 'equals' as const, value })),
  fc.constantFrom('gr', 'b', 'r').map((value) => ({ kind: 'prefix' as const, value })),
  fc
    .uniqueArray(color, { minLength: 1, maxLength: 2 })
    .map((values) => ({ kind: 'anythingBut' as const, values })),
  fc.boolean().map((value) => ({ kind: 'exists' as const, value })),
);
const numberCondition: fc.Arbitrary<Condition> = fc.oneof(
  size.map((value) => ({ kind: 'equals' as const, value })),
  fc
    .tuple(size, size)
    .filter(([a, b]) => a < b)
    .map(([low, high]) => ({ kind: 'range' as const, low, high })),
  fc.boolean().map((value) => ({ kind: 'exists' as const, value })),
);

const policyArbitrary = fc
  .record(
    {
      color: fc.array(stringCondition, { minLength: 1, maxLength: 3 }),
      size: fc.array(numberCondition, { minLength: 1, maxLength: 2 }),
      tags: fc.array(stringCondition, { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: [] },
  )
  .filter((policy) => Object.keys(policy).length > 0);

const messageArbitrary: fc.Arbitrary<Message> = fc.record(
  { color, size, tags: fc.array(color, { minLength: 1, maxLength: 3 }) },
  { requiredKeys: [] },
);

/** The model: every key must match; any condition of a key may; only `exists: false` wants it absent. */
function modelMatches(policy: Record<string, Condition[]>, message: Message): boolean {
  return Object.entries(policy).every(([key, conditions]) => {
    const raw = message[key as keyof Message];
    const values: (string | number)[] | undefined =
      raw === undefined ? undefined : Array.isArray(raw) ? raw : [raw];
    return conditions.some((c) => {
      if (c.kind === 'exists') return c.value === (values !== undefined);
      if (!values) return false;
      return values.some((v) => {
        switch (c.kind) {
          case 'equals':
            return v === c.value;
          case 'prefix':
            return typeof v === 'string' && v.startsWith(c.value);
          case 'anythingBut':
            return !c.values.includes(v);
          default:
            return typeof v === 'number' && v > c.low && v <= c.high;
        }
      });
    });
  });
}

function toSnsPolicy(policy: Record<string, Condition[]>): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(policy).map(([key, conditions]) => [
      key,
      conditions.map((c) => {
        switch (c.kind) {
          case 'equals':
            return c.value;
          case 'prefix':
            return { prefix: c.value };
          case 'anythingBut':
            return { 'anything-but': c.values };
          case 'range':
            return { numeric: ['>', c.low, '<=', c.high] };
          default:
            return { exists: c.value };
        }
      }),
    ]),
  );
}

function toAttributes(message: Message): TopicMessageAttributes {
  const attributes: TopicMessageAttributes = {};
  if (message.color !== undefined) attributes.color = { dataType: 'String', stringValue: message.color };
  if (message.size !== undefined) attributes.size = { dataType: 'Number', stringValue: String(message.size) };
  if (message.tags !== undefined)
    attributes.tags = { dataType: 'String.Array', stringValue: JSON.stringify(message.tags) };
  return attributes;
}

let run = 0;
test('a filter policy routes exactly the matching messages', async () => {
  const { topics } = topicsFixture(tables);
  await fc.assert(
    fc.asyncProperty(
      policyArbitrary,
      fc.array(messageArbitrary, { minLength: 1, maxLength: 6 }),
      async (policy, messages) => {
        run++;
        const topic = { account, region, name: `prop-${run}-${Math.random().toString(36).slice(2, 7)}` };
        await createTopic(topics, topic);
        const filtered = await newQueue(topics, `${topic.name}-f`);
        const everything = await newQueue(topics, `${topic.name}-all`);
        await subscribe(topics, topic, {
          protocol: 'sqs',
          endpoint: queueArn(filtered.name),
          owner: account,
          attributes: { FilterPolicy: JSON.stringify(toSnsPolicy(policy)), RawMessageDelivery: 'true' },
        });
        await subscribe(topics, topic, {
          protocol: 'sqs',
          endpoint: queueArn(everything.name),
          owner: account,
        });
        for (const [i, message] of messages.entries()) {
          await publish(topics, topic, { body: `m${i}`, attributes: toAttributes(message) }, 'http://local');
        }
        const expected = messages
          .flatMap((message, i) => (modelMatches(policy, message) ? [`m${i}`] : []))
          .sort();
        const got = (await receiveAll(topics, filtered)).map((m) => m.body).sort();
        expect(got).toEqual(expected);
        expect((await receiveAll(topics, everything)).length).toBe(messages.length);
      },
    ),
    { numRuns: 25, seed: 1612 },
  );
}, 240_000);
