import { expect, test } from 'vitest';
import { withPush } from '../../functions/handlers/push-runtime';
import { createRuntime } from '../../functions/handlers/runtime';
import { createConsumer } from '../../functions/push/consumers';
import { createQueue } from '../../functions/queue/operations/queues';
import { dynamoClient, freshTables, testSecret } from '../support/queue-fixture';

/** Deployed (no local module invoker), consumers are refused until the deployed dispatcher exists. */
test('a deployed service refuses consumers with a clear error instead of never delivering', async () => {
  const tables = await freshTables();
  const client = dynamoClient();
  const runtime = withPush(createRuntime({ client, tables, receiptHandleSecret: testSecret }), {
    client,
    messagesTable: tables.messages,
  });
  expect(runtime.push.local).toBe(false);
  const ref = { account: runtime.account, region: runtime.region, name: 'deployed-push' };
  await createQueue(runtime.queue, { ref });
  const refused = await createConsumer(runtime.push, ref, { target: { url: 'https://example.com' } }).catch(
    (e) => e,
  );
  expect(refused).toMatchObject({ code: 'UnsupportedOperation' });
  expect(refused.message).toContain('local service only');
});
