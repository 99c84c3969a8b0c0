import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { RestQueueClient } from '../../chaos/clients';
import { FaultInjector } from '../../chaos/faults';
import { StorageOracle } from '../../chaos/oracle';
import { type ChaosService, startChaosService } from '../../chaos/service';
import type { Clock } from '../../functions/queue/clock';
import { type TableNames, tableNames } from '../../functions/store/table-layout';

/**
 * The local service for one test file, over the shared DynamoDB Local, with a fault injector
 * (no random faults: tests script the ones they want) and the storage oracle on its client.
 */
export const chaosSecret = 'chaos-test-secret-0123456789';

export interface ChaosFixture {
  service: () => ChaosService;
  url: () => string;
  faults: FaultInjector;
  oracle: StorageOracle;
  tables: TableNames;
  /** A REST client of one queue. */
  rest: (queue: string) => RestQueueClient;
}

export function useChaosService(options: { clock?: Clock } = {}): ChaosFixture {
  const clock = options.clock ?? { now: () => Date.now() };
  const faults = new FaultInjector();
  const oracle = new StorageOracle(clock);
  let service: ChaosService | undefined;
  const tables = tableNames(`c${randomBytes(4).toString('hex')}-`);
  beforeAll(async () => {
    service = await startChaosService({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tables,
      receiptHandleSecret: chaosSecret,
      clock,
      faults,
      oracle,
      shardCount: 2,
    });
  });
  // A scripted fault a test did not use up must not hit the next test.
  afterEach(() => faults.clearRules());
  afterAll(async () => {
    await service?.close();
  });
  return {
    service: () => service!,
    url: () => service!.url,
    faults,
    oracle,
    tables,
    rest: (queue) => new RestQueueClient(service!.url, queue),
  };
}

/**
 * A fault rule's target for deleting a message by receipt handle: a conditional UpdateItem that
 * leaves a tombstone (store/items.ts), told from leases and visibility changes by its expression.
 */
export const messageDelete = {
  command: 'UpdateItem',
  match: (input: Record<string, unknown>) => String(input.UpdateExpression).startsWith('SET z = '),
} as const;

/** A queue name unique within the run. */
export const queueName = (prefix = 'q') => `${prefix}-${randomBytes(4).toString('hex')}`;

export { createQueue } from '../../chaos/queues';
