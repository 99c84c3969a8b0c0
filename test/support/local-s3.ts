import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { meterS3Client } from '../../bench/s3-meter';
import { createS3Client, S3BodyStore } from '../../functions/store/s3-body-store';

/**
 * A local S3-compatible server (s3rver) on a free loopback port, keeping its objects in a temporary
 * directory that `stop` removes. One per test file: start in beforeAll, stop in afterAll.
 */
export async function startLocalS3(bucket = 'queue-bodies') {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createS3Client({ S3_ENDPOINT: endpoint });
  /** The object requests made through `client` (every body store below uses it). */
  const requests = meterS3Client(client);
  return {
    endpoint,
    bucket,
    client,
    requests,
    /** A body store over this server. */
    bodyStore(thresholdBytes: number) {
      return new S3BodyStore({ client, bucket, thresholdBytes });
    },
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type LocalS3 = Awaited<ReturnType<typeof startLocalS3>>;
