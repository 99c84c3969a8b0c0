import type {
  BatchResult,
  CreateQueueRequest,
  DeadLetterBrowseQuery,
  DeadLetterPage,
  DeleteBatchEntry,
  PeekedMessage,
  PeekResult,
  PurgeResult,
  Queue,
  QueuePage,
  QueueStats,
  ReceivedMessage,
  ReceiveRequest,
  ReceiveResult,
  RedriveRequest,
  RedriveTask,
  RedriveTaskList,
  SendBatchEntry,
  SendMessageRequest,
  SendMessageResult,
  UpdateQueueRequest,
} from '../functions/dialects/rest/client-types';
import { type AwsCredentials, type RequestSigner, regionOfEndpoint, sigV4Signer } from './signing';
import { Transport, type TransportOptions } from './transport';

export interface QueueClientOptions {
  /** The API's base URL: the QueueService's `apiUrl` (a stack output), or `http://localhost:8080` locally. */
  endpoint: string;
  /**
   * Sign every request with SigV4 for `execute-api` (what the deployed API requires). A provider
   * function is asked per request, so temporary credentials refresh.
   * @default - unsigned (the local service before its first access key)
   */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** @default - the region in an `execute-api` endpoint's host name, else AWS_REGION, else us-east-1 */
  region?: string;
  /** A signer of your own instead of `credentials`. */
  signer?: RequestSigner;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned (long polls get their wait on top). @default 30000 */
  timeoutMs?: number;
}

const q = (name: string) => `/queues/${encodeURIComponent(name)}`;

/**
 * The REST API of the queue service, typed by the same zod schemas the service validates requests
 * and shapes replies with. Every failure is a QueueApiError with the API's problem details.
 *
 *   const client = new QueueClient({ endpoint: 'http://localhost:8080' });
 *   await client.sendMessage('jobs', { body: 'hello' });
 */
export class QueueClient {
  private readonly transport: Transport;

  constructor(options: QueueClientOptions) {
    const region =
      options.region ?? regionOfEndpoint(options.endpoint) ?? process.env.AWS_REGION ?? 'us-east-1';
    const signer =
      options.signer ??
      (options.credentials ? sigV4Signer({ credentials: options.credentials, region }) : undefined);
    const transport: TransportOptions = {
      endpoint: options.endpoint,
      ...(signer ? { signer } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    this.transport = new Transport(transport);
  }

  /** Creates a queue, or returns it if it exists with the same settings (else QueueNameExists). */
  createQueue(request: CreateQueueRequest): Promise<Queue> {
    return this.transport.request('POST', '/queues', { body: request });
  }

  /** One page of queues; `counts: true` adds each queue's message counts (costs reads per queue). */
  listQueues(
    query: { prefix?: string; limit?: number; nextToken?: string; counts?: boolean } = {},
  ): Promise<QueuePage> {
    return this.transport.request('GET', '/queues', { query });
  }

  /** Every queue (with the prefix), page after page. */
  async *queues(query: { prefix?: string; counts?: boolean } = {}): AsyncGenerator<Queue> {
    let nextToken: string | undefined;
    do {
      const page = await this.listQueues({ ...query, ...(nextToken ? { nextToken } : {}) });
      yield* page.queues;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  /** A queue with its approximate message counts. */
  getQueue(name: string): Promise<Queue> {
    return this.transport.request('GET', q(name));
  }

  updateQueue(name: string, changes: UpdateQueueRequest): Promise<Queue> {
    return this.transport.request('PATCH', q(name), { body: changes });
  }

  async deleteQueue(name: string): Promise<void> {
    await this.transport.request('DELETE', q(name));
  }

  purgeQueue(name: string): Promise<PurgeResult> {
    return this.transport.request('POST', `${q(name)}/purge`, { body: {} });
  }

  /** Per-minute statistics of the last `minutes` minutes (default 60). */
  queueStats(name: string, query: { minutes?: number } = {}): Promise<QueueStats> {
    return this.transport.request('GET', `${q(name)}/stats`, { query });
  }

  /** The next messages, without leasing them. */
  async peekMessages(name: string, query: { limit?: number } = {}): Promise<PeekedMessage[]> {
    const { messages } = await this.transport.request<PeekResult>('GET', `${q(name)}/messages`, { query });
    return messages;
  }

  sendMessage(name: string, message: SendMessageRequest): Promise<SendMessageResult> {
    return this.transport.request('POST', `${q(name)}/messages`, { body: message });
  }

  /** Up to 10 messages; each entry succeeds or fails on its own (see `failed`). */
  sendMessageBatch(name: string, messages: SendBatchEntry[]): Promise<BatchResult> {
    return this.transport.request('POST', `${q(name)}/messages`, { body: { messages } });
  }

  /** Up to `maxMessages` messages under a lease, waiting up to `waitTimeSeconds` for one to arrive. */
  async receiveMessages(name: string, request: ReceiveRequest = {}): Promise<ReceivedMessage[]> {
    const { messages } = await this.transport.request<ReceiveResult>('POST', `${q(name)}/messages/receive`, {
      body: request,
      extraMs: (request.waitTimeSeconds ?? 20) * 1000,
    });
    return messages;
  }

  async deleteMessage(name: string, receiptHandle: string): Promise<void> {
    await this.transport.request('DELETE', `${q(name)}/messages/${encodeURIComponent(receiptHandle)}`);
  }

  deleteMessageBatch(name: string, entries: DeleteBatchEntry[]): Promise<BatchResult> {
    return this.transport.request('POST', `${q(name)}/messages/delete`, { body: { entries } });
  }

  /** Extends (or with 0 ends) the lease of a received message. */
  async changeVisibility(
    name: string,
    receiptHandle: string,
    visibilityTimeoutSeconds: number,
  ): Promise<void> {
    await this.transport.request('POST', `${q(name)}/messages/visibility`, {
      body: { receiptHandle, visibilityTimeoutSeconds },
    });
  }

  changeVisibilityBatch(
    name: string,
    entries: { id: string; receiptHandle: string; visibilityTimeoutSeconds: number }[],
  ): Promise<BatchResult> {
    return this.transport.request('POST', `${q(name)}/messages/visibility`, { body: { entries } });
  }

  /** Dead letters of a dead-letter queue, without leasing them. */
  browseDeadLetters(name: string, query: DeadLetterBrowseQuery = {}): Promise<DeadLetterPage> {
    return this.transport.request('GET', `${q(name)}/dead-letters`, { query });
  }

  /** Starts moving dead letters back (all, or those the request selects), at a rate. */
  startRedrive(name: string, request: RedriveRequest = {}): Promise<RedriveTask> {
    return this.transport.request('POST', `${q(name)}/redrive`, { body: request });
  }

  async listRedrives(name: string): Promise<RedriveTask[]> {
    const { tasks } = await this.transport.request<RedriveTaskList>('GET', `${q(name)}/redrive`);
    return tasks;
  }

  getRedrive(name: string, taskId: string): Promise<RedriveTask> {
    return this.transport.request('GET', `${q(name)}/redrive/${encodeURIComponent(taskId)}`);
  }

  cancelRedrive(name: string, taskId: string): Promise<RedriveTask> {
    return this.transport.request('POST', `${q(name)}/redrive/${encodeURIComponent(taskId)}/cancel`);
  }
}
