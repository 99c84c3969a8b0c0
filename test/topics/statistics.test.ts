import { expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/** Counts per topic and per subscription, through the REST dialect of the local service. */
const { url } = useLocalService();
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

test('published, unmatched; per subscription matched, delivered, filtered out, dropped', async () => {
  const topic = unique('stats');
  const paid = unique('stats-paid');
  const gone = unique('stats-gone');
  expect((await call(url(), 'POST', '/topics', { name: topic })).status).toBe(201);
  for (const queue of [paid, gone])
    expect((await call(url(), 'POST', '/queues', { name: queue })).status).toBe(201);
  const paidSub = await call(url(), 'POST', `/topics/${topic}/subscriptions`, {
    protocol: 'queue',
    endpoint: paid,
    filterPolicy: { state: ['paid'] },
    filterPolicyScope: 'body',
  });
  const goneSub = await call(url(), 'POST', `/topics/${topic}/subscriptions`, {
    protocol: 'queue',
    endpoint: gone,
    filterPolicy: { state: ['paid', 'refunded'] },
    filterPolicyScope: 'body',
  });
  // The second queue is deleted: its deliveries are given up (dropped).
  expect((await call(url(), 'DELETE', `/queues/${gone}`)).status).toBe(204);

  for (const state of ['paid', 'paid', 'refunded', 'open', 'open']) {
    expect(
      (await call(url(), 'POST', `/topics/${topic}/messages`, { body: JSON.stringify({ state }) })).status,
    ).toBe(201);
  }
  const got = await call(url(), 'GET', `/topics/${topic}`);
  expect(got.body.statistics).toEqual({ published: 5, unmatched: 2 });
  const { subscriptions } = (await call(url(), 'GET', `/topics/${topic}/subscriptions`)).body;
  const byId = Object.fromEntries(subscriptions.map((s: { id: string }) => [s.id, s]));
  expect(byId[paidSub.body.id].statistics).toEqual({ matched: 2, delivered: 2, filteredOut: 3, dropped: 0 });
  expect(byId[goneSub.body.id].statistics).toEqual({ matched: 3, delivered: 0, filteredOut: 2, dropped: 3 });
});
