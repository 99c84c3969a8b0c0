import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, expect, inject, test } from 'vitest';
import { QueueApiError, QueueClient } from '../../client';
import { tableNames } from '../../functions/store/table-layout';
import { cleanEnv, repoRoot } from '../cli/run-cli';
import { useLocalService } from '../support/local-service';

/**
 * Signed calls: once the local service has an access key it wants SigV4 for execute-api, as API
 * Gateway does deployed; the client signs with the credentials (or a provider) it was given.
 */
const tables = tableNames(`tcl${randomBytes(4).toString('hex')}-`);
const local = useLocalService({ tables });
let key: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['run', '--silent', 'keys', '--', 'create', '--json', '--endpoint', inject('dynamodbEndpoint')].concat([
      '--table',
      tables.messages,
    ]),
    { cwd: repoRoot, env: cleanEnv() },
  );
  key = JSON.parse(stdout.trim().split('\n').at(-1)!);
}, 60_000);

test('signs with static credentials or a provider; unsigned is refused with 401', async () => {
  const name = `signed-client-${Date.now()}`;
  const signed = new QueueClient({ endpoint: local.url(), credentials: key, region: 'us-east-1' });
  await signed.createQueue({ name });
  const provided = new QueueClient({
    endpoint: local.url(),
    credentials: async () => key,
    region: 'us-east-1',
  });
  await provided.sendMessage(name, { body: 'signed body with spaces and + plus' });
  const peeked = await provided.peekMessages(name, { limit: 5 });
  expect(peeked.map((m) => m.body)).toEqual(['signed body with spaces and + plus']);
  // A signed query string, as the service canonicalises it.
  expect((await signed.listQueues({ prefix: name })).queues.map((q) => q.name)).toEqual([name]);

  const unsigned = (await new QueueClient({ endpoint: local.url() })
    .getQueue(name)
    .catch((error: unknown) => error)) as QueueApiError;
  expect(unsigned).toBeInstanceOf(QueueApiError);
  expect(unsigned.status).toBe(401);
});
