import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A local S3-compatible server (s3rver) for large bodies, on a free loopback port: `npm start`
 * runs one when asked (QUEUE_LOCAL_S3=1), keeping objects beside the DynamoDB data, or in a
 * temporary directory removed on stop when the service runs in memory.
 */
export interface RunningLocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalS3(options: {
  bucket: string;
  dataDir?: string;
  host?: string;
}): Promise<RunningLocalS3> {
  const temporary = options.dataDir === undefined;
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'queue-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: options.host ?? '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket }],
  });
  const { address, port } = await server.run();
  return {
    endpoint: `http://${address}:${port}`,
    async stop() {
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
