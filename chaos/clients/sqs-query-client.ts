import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
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
 * The SQS dialect in the Query protocol (form-encoded requests, XML replies), as older SDKs
 * and Debian's awscli speak it. Like the SDK, it checks MD5OfBody on what it receives.
 */
const lists = new Set([
  'Message',
  'Attribute',
  'SendMessageBatchResultEntry',
  'DeleteMessageBatchResultEntry',
  'BatchResultErrorEntry',
]);
const parser = new XMLParser({
  isArray: (name) => lists.has(name),
  parseTagValue: false,
  // Bodies may begin or end with spaces: the MD5 covers them.
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});

type XmlNode = Record<string, unknown>;

export class SqsQueryQueueClient implements QueueClient {
  readonly dialect = 'sqs-query' as const;

  constructor(
    private readonly url: string,
    private readonly queueUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async send(entries: SendEntry[]): Promise<EntryResult[]> {
    if (entries.length === 1) {
      const [entry] = entries as [SendEntry];
      const result = await this.call('SendMessage', {
        MessageBody: entry.body,
        ...priorityParams(entry, ''),
        ...(entry.groupId ? { MessageGroupId: entry.groupId } : {}),
      });
      return [{ id: entry.id, messageId: String(result.MessageId) }];
    }
    const params: Record<string, string> = {};
    entries.forEach((entry, index) => {
      params[`SendMessageBatchRequestEntry.${index + 1}.Id`] = entry.id;
      params[`SendMessageBatchRequestEntry.${index + 1}.MessageBody`] = entry.body;
      Object.assign(params, priorityParams(entry, `SendMessageBatchRequestEntry.${index + 1}.`));
      if (entry.groupId) params[`SendMessageBatchRequestEntry.${index + 1}.MessageGroupId`] = entry.groupId;
    });
    return batchResults(await this.call('SendMessageBatch', params), 'SendMessageBatchResultEntry');
  }

  async receive(options: ReceiveOptions): Promise<DeliveredMessage[]> {
    const result = await this.call('ReceiveMessage', {
      MaxNumberOfMessages: String(options.maxMessages),
      WaitTimeSeconds: String(options.waitSeconds),
      ...(options.visibilitySeconds === undefined
        ? {}
        : { VisibilityTimeout: String(options.visibilitySeconds) }),
      'AttributeName.1': 'ApproximateReceiveCount',
      'AttributeName.2': 'SentTimestamp',
    });
    return ((result.Message ?? []) as XmlNode[]).map((m) => {
      const body = String(m.Body ?? '');
      if (createHash('md5').update(body, 'utf8').digest('hex') !== m.MD5OfBody) {
        throw new CallError('MD5Mismatch', 0, false, `MD5OfBody does not match the body of ${m.MessageId}`);
      }
      const attributes = Object.fromEntries(
        ((m.Attribute ?? []) as XmlNode[]).map((a) => [String(a.Name), String(a.Value)]),
      );
      return {
        messageId: String(m.MessageId),
        body,
        receiptHandle: String(m.ReceiptHandle),
        receiveCount: Number(attributes.ApproximateReceiveCount),
        sentAt: Number(attributes.SentTimestamp),
      };
    });
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.call('DeleteMessage', { ReceiptHandle: receiptHandle });
  }

  async deleteBatch(entries: { id: string; receiptHandle: string }[]): Promise<EntryResult[]> {
    const params: Record<string, string> = {};
    entries.forEach((entry, index) => {
      params[`DeleteMessageBatchRequestEntry.${index + 1}.Id`] = entry.id;
      params[`DeleteMessageBatchRequestEntry.${index + 1}.ReceiptHandle`] = entry.receiptHandle;
    });
    return batchResults(await this.call('DeleteMessageBatch', params), 'DeleteMessageBatchResultEntry');
  }

  close(): void {}

  /** Posts one action; returns its `<Action>Result` element, or throws the SQS error. */
  private async call(action: string, params: Record<string, string>): Promise<XmlNode> {
    const form = new URLSearchParams({
      Action: action,
      Version: '2012-11-05',
      QueueUrl: this.queueUrl,
      ...params,
    });
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw transportError(error);
    }
    const document = parser.parse(text) as XmlNode;
    if (response.status === 200) {
      const reply = document[`${action}Response`] as XmlNode | undefined;
      return (reply?.[`${action}Result`] ?? {}) as XmlNode;
    }
    const error = ((document.ErrorResponse as XmlNode | undefined)?.Error ?? {}) as XmlNode;
    const code = String(error.Code ?? `HTTP${response.status}`);
    throw new CallError(
      code,
      response.status,
      response.status >= 500 || retryableCodes.has(code),
      String(error.Message ?? text.slice(0, 200)),
    );
  }
}

function batchResults(result: XmlNode, successName: string): EntryResult[] {
  return [
    ...((result[successName] ?? []) as XmlNode[]).map((s) => ({
      id: String(s.Id),
      ...(s.MessageId ? { messageId: String(s.MessageId) } : {}),
    })),
    ...((result.BatchResultErrorEntry ?? []) as XmlNode[]).map((f) => ({
      id: String(f.Id),
      error: new CallError(String(f.Code), 0, String(f.SenderFault) !== 'true', String(f.Message ?? '')),
    })),
  ];
}

/** The priority as an SQS Query client gives it: the message attribute dq.Priority. */
function priorityParams(entry: SendEntry, prefix: string): Record<string, string> {
  if (entry.priority === undefined) return {};
  return {
    [`${prefix}MessageAttribute.1.Name`]: 'dq.Priority',
    [`${prefix}MessageAttribute.1.Value.DataType`]: 'Number',
    [`${prefix}MessageAttribute.1.Value.StringValue`]: String(entry.priority),
  };
}
