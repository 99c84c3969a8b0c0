import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { tableNames } from '../../functions/store/table-layout';
import { type LocalService, startLocalService } from '../../infra/local/service';
import { type LocalS3, startLocalS3 } from '../support/local-s3';
import { call } from '../support/local-service';

/**
 * The local service configured with an S3-compatible server, as `QUEUE_LOCAL_S3=1 npm start` runs
 * it: a large body sent over REST is stored in S3, peeked and received whole, and gone with its
 * message; a small one never reaches S3.
 */
let s3: LocalS3;
let service: LocalService;
beforeAll(async () => {
  s3 = await startLocalS3();
  service = await startLocalService({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tables: tableNames(`t${randomBytes(4).toString('hex')}-`),
    bodies: s3.bodyStore(4_096),
  });
});
afterAll(async () => {
  await service?.close();
  await s3?.stop();
});
const api = (method: string, path: string, body?: unknown) => call(service.url, method, path, body);
const objects = async () =>
  (await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents?.length ?? 0;

test('REST: a 500 KB body goes through S3 and leaves with its message', async () => {
  expect((await api('POST', '/queues', { name: 'big-bodies' })).status).toBe(201);
  const body = JSON.stringify({ blob: 'ü'.repeat(250_000) });
  expect((await api('POST', '/queues/big-bodies/messages', { body })).status).toBe(201);
  expect((await api('POST', '/queues/big-bodies/messages', { body: 'small' })).status).toBe(201);
  expect(await objects()).toBe(1);
  const peeked = await api('GET', '/queues/big-bodies/messages');
  expect(peeked.body.messages.map((m: { body: string }) => m.body.length).sort()).toEqual(
    [5, body.length].sort(),
  );
  const received = await api('POST', '/queues/big-bodies/messages/receive', { maxMessages: 10 });
  expect(received.body.messages).toHaveLength(2);
  const large = received.body.messages.find((m: { body: string }) => m.body !== 'small');
  expect(large.body === body).toBe(true);
  for (const m of received.body.messages) {
    expect((await api('DELETE', `/queues/big-bodies/messages/${m.receiptHandle}`)).status).toBe(204);
  }
  expect(await objects()).toBe(0);
});
