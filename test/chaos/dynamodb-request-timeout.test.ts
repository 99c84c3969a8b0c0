import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sleepReal } from '../../chaos/clock';
import { createDynamoClient } from '../../functions/store/client';
import { DynamoQueueStore } from '../../functions/store/queue-store';
import { tableNames } from '../../functions/store/table-layout';

/**
 * FINDING 7 (handlers/runtime.ts): createDynamoClient sets `requestTimeout: 5_000` so that "a
 * stuck connection becomes a retryable error, never a hung request". With @smithy/node-http-handler
 * 4.x that is no longer true: past the request timeout it only logs a WARN ("Init client
 * requestHandler with throwOnRequestTimeout=true to turn this into an error") and keeps waiting.
 * A DynamoDB that accepts the connection and never answers hangs the caller (a Lambda until its
 * own timeout, with no retry). The chaos run printed that warning under load.
 */
const sockets = new Set<Socket>();
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.on('data', () => undefined);
});
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

test('a DynamoDB that never answers becomes ServiceUnavailable, not a hang', async () => {
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1' });
  const store = new DynamoQueueStore({ client, tables: tableNames() });
  const outcome = await Promise.race([
    store.getQueue({ account: '000000000000', region: 'us-east-1', name: 'any' }).then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    ),
    // 3 attempts of 5 s each, plus backoff, fit well within this.
    sleepReal(40_000).then(() => 'still waiting after 40 s'),
  ]);
  client.destroy();
  expect(outcome).toBe('ServiceUnavailable');
}, 60_000);
