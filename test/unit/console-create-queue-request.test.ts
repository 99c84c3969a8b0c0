import { expect, test } from 'vitest';
import { createQueueRequest } from '../../console/src/pages/create-queue-request';

/** The console's create form: a .fifo name makes a FIFO queue, deduplicating by content by default. */
test('a .fifo name sends fifo and the deduplication box (checked by default in the form)', () => {
  expect(createQueueRequest({ name: ' orders.fifo ', contentBasedDeduplication: true })).toEqual({
    name: 'orders.fifo',
    fifo: true,
    contentBasedDeduplication: true,
  });
  expect(createQueueRequest({ name: 'orders.fifo', contentBasedDeduplication: false })).toEqual({
    name: 'orders.fifo',
    fifo: true,
    contentBasedDeduplication: false,
  });
});

test('a standard queue ignores the FIFO box; optional settings only when given', () => {
  expect(
    createQueueRequest({
      name: 'orders',
      visibilityTimeoutSeconds: 30,
      deadLetterQueue: ' orders-dlq ',
      maxReceiveCount: 5,
      contentBasedDeduplication: true,
    }),
  ).toEqual({
    name: 'orders',
    visibilityTimeoutSeconds: 30,
    deadLetterQueue: 'orders-dlq',
    maxReceiveCount: 5,
  });
  expect(
    createQueueRequest({ name: 'orders', deadLetterQueue: '', contentBasedDeduplication: true }),
  ).toEqual({
    name: 'orders',
  });
});
