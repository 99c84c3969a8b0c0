import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoQueueStore } from '../functions/store/queue-store';
import type { LocalService } from '../infra/local/service';
import { type DynamoMeter, meterClient } from './dynamo-meter';

/**
 * Counts the DynamoDB calls the local service makes. The service builds its own client; the bench
 * reaches it through the store (a private field, read here only), and counts nothing if that
 * changes rather than failing.
 */
export function meterService(service: LocalService): DynamoMeter | undefined {
  const store = service.runtime.queue.store;
  if (!(store instanceof DynamoQueueStore)) return undefined;
  const client = (store as unknown as { client?: DynamoDBClient }).client;
  if (!client?.middlewareStack) return undefined;
  return meterClient(client, { askCapacity: false });
}
