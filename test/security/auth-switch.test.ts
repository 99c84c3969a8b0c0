// Issue 15, point 6: once authentication is on it stays on until turned off with the documented
// command (npm run keys -- auth off); revoking the last key does not re-open the local service,
// and a revoked key is refused always, through the REST and the SQS routes alike.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, inject, test } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import { ManualClock } from '../../functions/queue/clock';
import { tableNames } from '../../functions/store/table-layout';
import { type Credentials, signedJsonCall } from '../sqs/signing';
import { call, useLocalService } from '../support/local-service';
import { signedRestCall } from './signed-rest';

const region = 'us-east-1';
const clock = new ManualClock(Date.now());
const tables = tableNames(`t${randomBytes(4).toString('hex')}-`);
const local = useLocalService({ region, clock, tables });
const repoRoot = join(import.meta.dirname, '..', '..');

/** The documented command, run as a user runs it, against the local service's table. */
async function keysCommand(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/access-keys.ts',
      ...args,
      '--endpoint',
      inject('dynamodbEndpoint'),
      '--table',
      tables.messages,
    ],
    { cwd: repoRoot, env: { ...process.env, AWS_REGION: region } },
  );
  return stdout;
}

async function unsignedSqs(): Promise<number> {
  const response = await fetch(`${local.url()}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
    body: '{}',
  });
  return response.status;
}

const restStatus = async (credentials: Credentials) =>
  (await signedRestCall(local.url(), { method: 'GET', path: '/queues' }, { credentials, region })).status;
/** The SQS error of a signed call (SQS names an unknown or revoked key UnrecognizedClientException). */
async function sqsError(credentials: Credentials): Promise<string> {
  const reply = await signedJsonCall(local.url(), { target: 'ListQueues', body: '{}', credentials, region });
  return `${reply.status} ${reply.json?.__type}`;
}

test('revoking the last key keeps authentication on; only "auth off" turns it off; a revoked key stays refused', {
  timeout: 60_000,
}, async () => {
  const keys = local.service().runtime.accessKeys;
  const key = newAccessKey({ accountId: local.service().runtime.account, now: clock.now() });
  const creds = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  const madeUp = { accessKeyId: `AKSQ${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: 'x' };
  expect((await call(local.url(), 'GET', '/queues')).status).toBe(200);
  expect(await keys.createKey(key)).toBe(true);
  expect((await call(local.url(), 'GET', '/queues')).status).toBe(401);
  expect(await restStatus(creds)).toBe(200);

  // The last (only) key is revoked: nothing opens up.
  expect(await keys.revokeKey(key.accessKeyId, clock.now())).toBe(true);
  clock.advance(11_000); // past the key cache's refresh
  expect((await call(local.url(), 'GET', '/queues')).status).toBe(401);
  expect(await unsignedSqs()).toBe(403);
  expect(await restStatus(creds)).toBe(403);
  expect(await sqsError(creds)).toMatch(/^403 .*(UnrecognizedClient|InvalidClientTokenId)/);
  expect(await keysCommand('auth', 'status')).toMatch(/^Authentication is on/);

  // Turned off explicitly: unsigned and made-up credentials pass again, the revoked key does not.
  expect(await keysCommand('auth', 'off')).toMatch(/^Authentication is off/);
  clock.advance(11_000);
  expect((await call(local.url(), 'GET', '/queues')).status).toBe(200);
  expect(await unsignedSqs()).toBe(200);
  expect(await restStatus(madeUp)).toBe(200);
  expect(await restStatus(creds)).toBe(403);
  expect(await sqsError(creds)).toMatch(/^403 .*(UnrecognizedClient|InvalidClientTokenId)/);

  // A new key turns it on again.
  const next = newAccessKey({ accountId: local.service().runtime.account, now: clock.now() });
  expect(await keys.createKey(next)).toBe(true);
  expect((await call(local.url(), 'GET', '/queues')).status).toBe(401);
  expect(await keysCommand('auth', 'status')).toMatch(/^Authentication is on/);
});
