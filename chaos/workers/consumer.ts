import type { DeliveredMessage, QueueClient } from '../clients/queue-client';
import { type ScaledClock, sleepReal } from '../clock';
import type { ChaosConfig } from '../config';
import type { Delivery, Ledger } from '../ledger';
import { type RetryPolicy, withRetries } from './retry';

/**
 * A consumer that misbehaves the ways real ones do. For each message it receives it either
 * processes and deletes it, or crashes (drops everything in hand, never deletes), or stalls past
 * its lease and deletes afterwards, or deletes right at the end of its lease. Poison messages
 * always crash it: they must end in the dead-letter queue after maxReceiveCount receives.
 */
export interface ConsumerOptions {
  name: string;
  client: QueueClient;
  queue: string;
  config: ChaosConfig;
  ledger: Ledger;
  clock: ScaledClock;
  retry: RetryPolicy;
  /** The lease token inside a receipt handle, or undefined when the handle is not genuine. */
  tokenOf: (receiptHandle: string) => string | undefined;
  signal: AbortSignal;
}

export async function runConsumer(options: ConsumerOptions): Promise<void> {
  const { signal, ledger } = options;
  while (!signal.aborted) {
    const deliveries = await receive(options);
    // A crash (random, or on a poison message) drops that message and everything after it.
    const actions = deliveries.map((delivery) => chooseAction(options.config, delivery));
    const crashAt = actions.indexOf('crash');
    if (crashAt >= 0) ledger.crashes++;
    const kept = crashAt >= 0 ? deliveries.slice(0, crashAt) : deliveries;
    const byBatch = Math.random() < options.config.behaviour.batchDelete;
    const batch = kept.filter((_, i) => actions[i] === 'process' && byBatch);
    // Messages in hand are worked on concurrently, as a consumer with a small thread pool does.
    await Promise.all([
      ...kept.map(async (delivery, i) => {
        const action = actions[i]!;
        if (action === 'process' && byBatch) return;
        if (action === 'stall' || action === 'late') await waitNearLeaseEnd(options, delivery, action);
        if (!signal.aborted) await deleteOne(options, delivery);
      }),
      batch.length > 0 ? deleteBatch(options, batch) : undefined,
    ]);
  }
}

/** A stalled consumer deletes well after its lease ended; a late one right around its end. */
async function waitNearLeaseEnd(options: ConsumerOptions, delivery: Delivery, action: 'stall' | 'late') {
  if (action === 'stall') options.ledger.stalls++;
  else options.ledger.lateDeletes++;
  const leaseEnd = delivery.requestStart + delivery.visibilityMs;
  const offset = action === 'stall' ? 200 + Math.random() * 1_500 : -250 + Math.random() * 500;
  await options.clock.sleep(leaseEnd + offset - options.clock.now(), options.signal);
}

type Action = 'crash' | 'stall' | 'late' | 'process';

function chooseAction(config: ChaosConfig, delivery: Delivery): Action {
  if (delivery.body.split(' ', 2)[1] === 'poison') return 'crash';
  const { crash, stall, lateDelete } = config.behaviour;
  const roll = Math.random();
  if (roll < crash) return 'crash';
  if (roll < crash + stall) return 'stall';
  if (roll < crash + stall + lateDelete) return 'late';
  return 'process';
}

async function receive(options: ConsumerOptions): Promise<Delivery[]> {
  const { config, clock, ledger, client } = options;
  const long = Math.random() < config.longVisibilityRate;
  const visibilitySeconds = long ? config.longVisibilitySeconds : config.visibilitySeconds;
  const requestStart = clock.now();
  ledger.receiveCalls++;
  let messages: DeliveredMessage[];
  try {
    messages = await client.receive({
      maxMessages: 1 + Math.floor(Math.random() * 10),
      waitSeconds: 1,
      ...(long ? { visibilitySeconds } : {}),
    });
  } catch (error) {
    // A failed receive may still have leased messages (a lost response): they come back later.
    ledger.failed('receive', (error as { code?: string }).code ?? String(error));
    await sleepReal(50 + Math.random() * 200, options.signal);
    return [];
  }
  const responseEnd = clock.now();
  if (messages.length === 0) ledger.emptyReceives++;
  const deliveries = messages.map((m) => {
    const token = options.tokenOf(m.receiptHandle);
    const delivery: Delivery = {
      queue: options.queue,
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      ...(token ? { token } : {}),
      body: m.body,
      receiveCount: m.receiveCount,
      sentAt: m.sentAt,
      visibilityMs: visibilitySeconds * 1000,
      requestStart,
      responseEnd,
      worker: options.name,
      dialect: client.dialect,
    };
    ledger.deliveries.push(delivery);
    return delivery;
  });
  // Work in a random order, so a crash drops a random part of what is in hand.
  return shuffled(deliveries);
}

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function deleteOne(options: ConsumerOptions, delivery: Delivery): Promise<void> {
  const { clock, ledger, client } = options;
  const startedAt = clock.now();
  const { error, attempts } = await withRetries('delete', ledger, options.retry, () =>
    client.delete(delivery.receiptHandle),
  );
  ledger.deletes.push({
    queue: delivery.queue,
    messageId: delivery.messageId,
    ...(delivery.token ? { token: delivery.token } : {}),
    via: 'single',
    worker: options.name,
    dialect: client.dialect,
    startedAt,
    endedAt: clock.now(),
    outcome: !error ? 'deleted' : error.code === 'ReceiptHandleIsInvalid' ? 'invalid' : 'failed',
    ...(error ? { code: error.code } : {}),
    attempts,
  });
}

/** Deletes in one batch call; entries that fail retryably are sent again on their own batch. */
async function deleteBatch(options: ConsumerOptions, deliveries: Delivery[]): Promise<void> {
  const { clock, ledger, client } = options;
  const startedAt = clock.now();
  let pending = deliveries.map((delivery, index) => ({ id: `d${index}`, delivery, attempts: 0 }));
  const finished = (
    entry: (typeof pending)[number],
    outcome: 'deleted' | 'invalid' | 'failed',
    code?: string,
  ) =>
    ledger.deletes.push({
      queue: entry.delivery.queue,
      messageId: entry.delivery.messageId,
      ...(entry.delivery.token ? { token: entry.delivery.token } : {}),
      via: 'batch',
      worker: options.name,
      dialect: client.dialect,
      startedAt,
      endedAt: clock.now(),
      outcome,
      ...(code ? { code } : {}),
      attempts: entry.attempts,
    });
  for (let round = 1; pending.length > 0; round++) {
    for (const entry of pending) entry.attempts++;
    const { result, error } = await withRetries(
      'delete batch',
      ledger,
      { ...options.retry, attempts: 1 },
      () => client.deleteBatch(pending.map((p) => ({ id: p.id, receiptHandle: p.delivery.receiptHandle }))),
    );
    const again: typeof pending = [];
    for (const entry of pending) {
      const failure = error ?? result?.find((r) => r.id === entry.id)?.error;
      if (!failure) finished(entry, 'deleted');
      else if (failure.code === 'ReceiptHandleIsInvalid') finished(entry, 'invalid', failure.code);
      else if (failure.retryable && round < options.retry.attempts) again.push(entry);
      else finished(entry, 'failed', failure.code);
    }
    if (again.length > 0) ledger.retried('delete batch');
    pending = again;
  }
}
