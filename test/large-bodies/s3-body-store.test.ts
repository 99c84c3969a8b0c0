import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LocalS3, startLocalS3 } from '../support/local-s3';

/** The S3 adapter of the body-store port, against a local S3-compatible server (s3rver). */
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.stop();
});

describe('S3 body store', () => {
  test('a body put is read back byte for byte, and is gone once deleted', async () => {
    s3.requests.clear();
    const store = s3.bodyStore(1024);
    const ref = { queueId: 'q1', messageId: 'm1' };
    const body = Buffer.from('€😀x'.repeat(50_000), 'utf8');
    await store.put(ref, body);
    expect(Buffer.from((await store.get(ref))!).equals(body)).toBe(true);
    await store.delete([ref]);
    expect(await store.get(ref)).toBeUndefined();
    expect({ ...s3.requests }).toMatchObject({ put: 1, get: 2, delete: 1 });
  });

  test('a missing body reads as undefined and deleting it is not an error', async () => {
    const store = s3.bodyStore(1024);
    const ref = { queueId: 'q1', messageId: 'never-stored' };
    expect(await store.get(ref)).toBeUndefined();
    await expect(store.delete([ref])).resolves.toBeUndefined();
  });

  test('bodies of different queues with the same message id are kept apart', async () => {
    const store = s3.bodyStore(1024);
    await store.put({ queueId: 'a', messageId: 'same' }, Buffer.from('first'));
    await store.put({ queueId: 'b', messageId: 'same' }, Buffer.from('second'));
    await store.delete([{ queueId: 'a', messageId: 'same' }]);
    expect(await store.get({ queueId: 'a', messageId: 'same' })).toBeUndefined();
    expect(Buffer.from((await store.get({ queueId: 'b', messageId: 'same' }))!).toString()).toBe('second');
  });

  test('an unreachable server is a retryable queue error, not an SDK error', async () => {
    const { S3BodyStore, createS3Client } = await import('../../functions/store/s3-body-store');
    const store = new S3BodyStore({
      client: createS3Client({ S3_ENDPOINT: 'http://127.0.0.1:9' }),
      bucket: 'queue-bodies',
      thresholdBytes: 1024,
    });
    await expect(store.put({ queueId: 'q', messageId: 'm' }, Buffer.from('x'))).rejects.toMatchObject({
      code: 'ServiceUnavailable',
    });
  });
});
