// Local REST authentication: the local host asks for what API Gateway's IAM authorizer asks for
// when deployed (SigV4 for service `execute-api`, in the service's region), checked against the
// service's own access keys once an active one exists, with the same problem codes a client of
// the deployed API must handle.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import type { Credentials } from '../sqs/signing';
import { signedJsonCall } from '../sqs/signing';
import { call, useLocalService } from '../support/local-service';
import { readResponse, signedRest, signedRestCall } from './signed-rest';

const local = useLocalService({ region: 'eu-west-1' });
const region = 'eu-west-1';
let creds: Credentials;

const unknownCredentials = (): Credentials => ({
  accessKeyId: `AKSQ${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64url'),
});

async function newKey(description: string): Promise<Credentials> {
  const key = newAccessKey({ accountId: local.service().runtime.account, now: Date.now(), description });
  expect(await local.service().runtime.accessKeys.createKey(key)).toBe(true);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

function expectProblem(
  response: { status: number; contentType: string; body: any },
  status: number,
  code: string,
) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.contentType).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, code });
}

test('before any access key exists, REST requests need no signature (local default)', async () => {
  const created = await call(local.url(), 'POST', '/queues', { name: 'before-keys' });
  expect(created.status).toBe(201);
});

describe('once an active access key exists', () => {
  beforeAll(async () => {
    creds = await newKey('rest auth');
  });

  test('a request signed for execute-api in the service region passes', async () => {
    const created = await signedRestCall(
      local.url(),
      { method: 'POST', path: '/queues', body: { name: 'signed' } },
      { credentials: creds, region },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await signedRestCall(
      local.url(),
      { method: 'GET', path: '/queues?prefix=sig&limit=5' },
      { credentials: creds, region },
    );
    expect(listed.body.queues.map((q: { name: string }) => q.name)).toEqual(['signed']);
  });

  test('unsigned: 401 MissingAuthenticationToken', async () => {
    const response = await call(local.url(), 'GET', '/queues');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'MissingAuthenticationToken', status: 401 });
    expect(response.body.detail).toContain('execute-api');
    expectProblem(
      await readResponse(await fetch(`${local.url()}/openapi.json`)),
      401,
      'MissingAuthenticationToken',
    );
  });

  test('unknown key: 403 InvalidClientTokenId', async () => {
    expectProblem(
      await signedRestCall(
        local.url(),
        { method: 'GET', path: '/queues' },
        { credentials: unknownCredentials(), region },
      ),
      403,
      'InvalidClientTokenId',
    );
  });

  test('revoked key: 403 InvalidClientTokenId', async () => {
    const revoked = await newKey('to revoke');
    const ok = await signedRestCall(
      local.url(),
      { method: 'GET', path: '/queues' },
      { credentials: revoked, region },
    );
    expect(ok.status).toBe(200);
    expect(await local.service().runtime.accessKeys.revokeKey(revoked.accessKeyId, Date.now())).toBe(true);
    expectProblem(
      await signedRestCall(local.url(), { method: 'GET', path: '/queues' }, { credentials: revoked, region }),
      403,
      'InvalidClientTokenId',
    );
  });

  test('wrong secret, body swapped after signing, other service or region: 403 SignatureDoesNotMatch', async () => {
    const cases = [
      { credentials: { ...creds, secretAccessKey: `${creds.secretAccessKey}x` }, region },
      { credentials: creds, region, tamperedBody: JSON.stringify({ name: 'swapped' }) },
      { credentials: creds, region, service: 'sqs' },
      { credentials: creds, region: 'us-east-1' },
    ];
    for (const options of cases) {
      expectProblem(
        await signedRestCall(
          local.url(),
          { method: 'POST', path: '/queues', body: { name: 'refused' } },
          options,
        ),
        403,
        'SignatureDoesNotMatch',
      );
    }
    const listed = await signedRestCall(
      local.url(),
      { method: 'GET', path: '/queues?prefix=swapped' },
      { credentials: creds, region },
    );
    expect(listed.body.queues).toEqual([]);
  });

  test('a signature older than 15 minutes (a replay): 403 SignatureDoesNotMatch', async () => {
    const old = new Date(Date.now() - 16 * 60_000);
    const response = await signedRestCall(
      local.url(),
      { method: 'GET', path: '/queues' },
      { credentials: creds, region, signingDate: old },
    );
    expectProblem(response, 403, 'SignatureDoesNotMatch');
    expect(response.body.detail).toContain('Signature expired');
  });

  test('a query changed after signing is refused', async () => {
    const [url, init] = await signedRest(
      local.url(),
      { method: 'GET', path: '/queues?prefix=a' },
      { credentials: creds, region },
    );
    expectProblem(
      await readResponse(await fetch(url.replace('prefix=a', 'prefix=b'), init)),
      403,
      'SignatureDoesNotMatch',
    );
  });

  test('SQS routes still verify their own service: an execute-api signature is refused there', async () => {
    const sqs = await signedJsonCall(local.url(), {
      target: 'ListQueues',
      body: '{}',
      credentials: creds,
      region,
      service: 'execute-api',
    });
    expect(sqs.status).toBe(403);
    expect(sqs.headers.get('x-amzn-query-error')).toBe('SignatureDoesNotMatch;Sender');
    const signedForSqs = await signedJsonCall(local.url(), {
      target: 'ListQueues',
      body: '{}',
      credentials: creds,
      region,
    });
    expect(signedForSqs.status).toBe(200);
  });
});
