import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CallError,
  type DeliveredMessage,
  type EntryResult,
  type QueueClient,
  type ReceiveOptions,
  retryableCodes,
  type SendEntry,
  transportError,
} from './queue-client';

/**
 * The SQS dialect in AWS JSON 1.0, through the real AWS SDK (which also checks the MD5s of
 * bodies it sends and receives). SDK retries are off: the worker retries and counts.
 */
export class SqsJsonQueueClient implements QueueClient {
  readonly dialect = 'sqs-json' as const;
  private readonly sqs: SQSClient;

  constructor(
    url: string,
    private readonly queueUrl: string,
    timeoutMs = 30_000,
  ) {
    this.sqs = new SQSClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDCHAOS', secretAccessKey: 'chaos' },
      maxAttempts: 1,
      // Without throwOnRequestTimeout the handler only warns when the timeout passes, and waits on.
      requestHandler: new NodeHttpHandler({
        connectionTimeout: 5_000,
        requestTimeout: timeoutMs,
        throwOnRequestTimeout: true,
      }),
    });
  }

  async send(entries: SendEntry[]): Promise<EntryResult[]> {
    if (entries.length === 1) {
      const [entry] = entries as [SendEntry];
      const out = await this.call(() =>
        this.sqs.send(
          new SendMessageCommand({
            QueueUrl: this.queueUrl,
            MessageBody: entry.body,
            ...priorityAttributes(entry),
            ...(entry.groupId ? { MessageGroupId: entry.groupId } : {}),
          }),
        ),
      );
      return [{ id: entry.id, messageId: out.MessageId! }];
    }
    const out = await this.call(() =>
      this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: entries.map((e) => ({
            Id: e.id,
            MessageBody: e.body,
            ...(e.groupId ? { MessageGroupId: e.groupId } : {}),
            ...priorityAttributes(e),
          })),
        }),
      ),
    );
    return batchResults(out);
  }

  async receive(options: ReceiveOptions): Promise<DeliveredMessage[]> {
    const out = await this.call(() =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: options.maxMessages,
          WaitTimeSeconds: options.waitSeconds,
          ...(options.visibilitySeconds === undefined
            ? {}
            : { VisibilityTimeout: options.visibilitySeconds }),
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      ),
    );
    return (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId!,
      body: m.Body!,
      receiptHandle: m.ReceiptHandle!,
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount),
      sentAt: Number(m.Attributes?.SentTimestamp),
    }));
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.call(() =>
      this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle })),
    );
  }

  async deleteBatch(entries: { id: string; receiptHandle: string }[]): Promise<EntryResult[]> {
    const out = await this.call(() =>
      this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle })),
        }),
      ),
    );
    return batchResults(out);
  }

  close(): void {
    this.sqs.destroy();
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toCallError(error);
    }
  }
}

/** An SDK error as the worker sees it; a checksum mismatch is a service fault, never retried. */
export function toCallError(error: unknown): CallError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) {
    if (/MD5/i.test(e.message ?? '')) return new CallError('MD5Mismatch', 0, false, e.message ?? '');
    return transportError(error);
  }
  const code = e.name ?? `HTTP${status}`;
  return new CallError(code, status, status >= 500 || retryableCodes.has(code), e.message ?? '');
}

function batchResults(out: {
  Successful?: { Id?: string; MessageId?: string }[];
  Failed?: { Id?: string; Code?: string; SenderFault?: boolean; Message?: string }[];
}): EntryResult[] {
  return [
    ...(out.Successful ?? []).map((s) => ({ id: s.Id!, ...(s.MessageId ? { messageId: s.MessageId } : {}) })),
    ...(out.Failed ?? []).map((f) => ({
      id: f.Id!,
      error: new CallError(f.Code ?? 'Unknown', 0, !f.SenderFault, f.Message ?? ''),
    })),
  ];
}

/** The priority as SQS clients give it: the message attribute dq.Priority. */
function priorityAttributes(entry: SendEntry) {
  return entry.priority === undefined
    ? {}
    : { MessageAttributes: { 'dq.Priority': { DataType: 'Number', StringValue: String(entry.priority) } } };
}
