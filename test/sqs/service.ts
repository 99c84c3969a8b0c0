import { randomBytes } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { type TableNames, tableNames } from '../../functions/store/table-layout';
import { type LocalService, type LocalServiceOptions, startLocalService } from '../../infra/local/service';

/**
 * The local service for one SQS test file: its own tables (so files never share queues), the
 * account id third-party suites use, and an SDK client pointed at it.
 */
export const accountId = '123456789012';

export interface SqsTestService {
  service: LocalService;
  tables: TableNames;
  url: string;
  sqs: SQSClient;
  queueUrl(name: string): string;
  close(): Promise<void>;
}

export async function startSqsService(options: Partial<LocalServiceOptions> = {}): Promise<SqsTestService> {
  const tables = options.tables ?? tableNames(`t-${randomBytes(4).toString('hex')}-`);
  const service = await startLocalService({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tables,
    accountId,
    ...options,
  });
  const sqs = sqsClient(service.url);
  return {
    service,
    tables,
    url: service.url,
    sqs,
    queueUrl: (name) => `${service.url}/${accountId}/${name}`,
    close: async () => {
      sqs.destroy();
      await service.close();
    },
  };
}

export function sqsClient(endpoint: string, region = 'us-east-1'): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** A queue name unique within the run. */
export const uniqueName = (prefix = 'q') => `${prefix}-${randomBytes(5).toString('hex')}`;

/** Expects the promise to fail with an SDK error of that name; returns the error. */
export async function sqsError(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
