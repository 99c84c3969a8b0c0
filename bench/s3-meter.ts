import type { S3Client } from '@aws-sdk/client-s3';

export interface S3Requests {
  put: number;
  get: number;
  delete: number;
}

const kinds: Record<string, keyof S3Requests> = {
  PutObjectCommand: 'put',
  GetObjectCommand: 'get',
  DeleteObjectCommand: 'delete',
};

/**
 * Counts the object requests an S3 client makes (PUT and GET are billed; DELETE is free), on the
 * client itself so the adapter under measure stays as deployed.
 */
export function meterS3Client(client: S3Client): S3Requests & { clear(): void } {
  const counts = {
    put: 0,
    get: 0,
    delete: 0,
    clear() {
      counts.put = counts.get = counts.delete = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => (args) => {
      const kind = kinds[context.commandName ?? ''];
      if (kind) counts[kind]++;
      return next(args);
    },
    { step: 'initialize', name: 'countBodyRequests' },
  );
  return counts;
}
