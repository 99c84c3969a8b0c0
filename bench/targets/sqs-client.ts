import { Agent } from 'node:http';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { LifecycleTarget } from '../driver';

/**
 * An SQS endpoint (the local service's SQS dialect, or the moto peer) through @aws-sdk/client-sqs,
 * configured the same way for both: JSON protocol, keep-alive, one socket per worker, default
 * retries and MD5 checks, as an application would use it.
 */
export function sqsClient(endpoint: string, concurrency: number): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: process.env.BENCH_SQS_ACCESS_KEY_ID ?? 'AKIDBENCHLOCAL',
      secretAccessKey: process.env.BENCH_SQS_SECRET_ACCESS_KEY ?? 'bench-local-secret',
    },
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }),
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
    }),
  });
}

/** Creates the queue (the probe: throws when the endpoint does not speak SQS) and returns its URL. */
export async function createSqsQueue(
  client: SQSClient,
  name: string,
  visibilitySeconds: number,
  timeoutMs = 10_000,
): Promise<string> {
  const out = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: String(visibilitySeconds) },
    }),
    { abortSignal: AbortSignal.timeout(timeoutMs) },
  );
  if (!out.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return out.QueueUrl;
}

export function sqsTarget(client: SQSClient, queueUrl: string): LifecycleTarget {
  return {
    async send(body) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
    async receive() {
      const out = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }),
      );
      return out.Messages?.[0]?.ReceiptHandle;
    },
    async delete(handle) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle }));
    },
  };
}
