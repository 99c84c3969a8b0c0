import {
  CallError,
  type DeliveredMessage,
  type EntryResult,
  type QueueClient,
  type ReceiveOptions,
  type SendEntry,
  transportError,
} from './queue-client';

/** The REST dialect over fetch, with a deadline on every request. */
export class RestQueueClient implements QueueClient {
  readonly dialect = 'rest' as const;
  private readonly base: string;

  constructor(
    url: string,
    queue: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = `${url}/queues/${encodeURIComponent(queue)}`;
  }

  async send(entries: SendEntry[]): Promise<EntryResult[]> {
    if (entries.length === 1) {
      const [entry] = entries as [SendEntry];
      const message = {
        body: entry.body,
        ...(entry.groupId ? { groupId: entry.groupId } : {}),
        ...(entry.priority === undefined ? {} : { priority: entry.priority }),
      };
      const reply = await this.call<{ messageId: string }>('POST', '/messages', message, 201);
      return [{ id: entry.id, messageId: reply.messageId }];
    }
    return batchResults(await this.call<BatchReply>('POST', '/messages', { messages: entries }, 200));
  }

  async receive(options: ReceiveOptions): Promise<DeliveredMessage[]> {
    const reply = await this.call<{ messages: RestMessage[] }>(
      'POST',
      '/messages/receive',
      {
        maxMessages: options.maxMessages,
        waitTimeSeconds: options.waitSeconds,
        ...(options.visibilitySeconds === undefined
          ? {}
          : { visibilityTimeoutSeconds: options.visibilitySeconds }),
      },
      200,
    );
    return reply.messages.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      receiptHandle: m.receiptHandle,
      receiveCount: m.receiveCount,
      sentAt: Date.parse(m.sentAt),
    }));
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.call<undefined>('DELETE', `/messages/${encodeURIComponent(receiptHandle)}`, undefined, 204);
  }

  async deleteBatch(entries: { id: string; receiptHandle: string }[]): Promise<EntryResult[]> {
    return batchResults(await this.call<BatchReply>('POST', '/messages/delete', { entries }, 200));
  }

  /** Approximate counts of the queue. */
  async counts(): Promise<Counts> {
    return (await this.call<{ messages: Counts }>('GET', '', undefined, 200)).messages;
  }

  close(): void {}

  private async call<T>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.base + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw transportError(error);
    }
    if (response.status === expected) return (text ? JSON.parse(text) : undefined) as T;
    let code = `HTTP${response.status}`;
    try {
      code = JSON.parse(text).code ?? code;
    } catch {
      // not a problem body: keep the status as the code
    }
    const retryable = response.status === 429 || response.status >= 500;
    throw new CallError(code, response.status, retryable, text.slice(0, 200));
  }
}

interface RestMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
  receiveCount: number;
  sentAt: string;
}

interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
}

interface BatchReply {
  successful: { id: string; messageId?: string }[];
  failed: { id: string; code: string; senderFault: boolean; message: string }[];
}

function batchResults(reply: BatchReply): EntryResult[] {
  return [
    ...reply.successful.map((s) => ({ id: s.id, ...(s.messageId ? { messageId: s.messageId } : {}) })),
    ...reply.failed.map((f) => ({ id: f.id, error: new CallError(f.code, 0, !f.senderFault, f.message) })),
  ];
}
