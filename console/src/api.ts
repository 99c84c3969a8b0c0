import type {
  ArchiveBrowseQuery,
  ArchivePage,
  Consumer,
  ConsumerList,
  CreateConsumerRequest,
  CreateSubscriptionRequest,
  DeadLetterBrowseQuery,
  DeadLetterPage,
  PeekedMessage,
  ProblemDetails,
  PublishRequest,
  PublishResult,
  Queue,
  QueuePage,
  QueueStats,
  RedriveRequest,
  RedriveTask,
  Replay,
  ReplayList,
  ReplayRequest,
  Subscription,
  SubscriptionPage,
  Topic,
  TopicPage,
  UpdateConsumerRequest,
} from '../../functions/dialects/rest/client-types';
import { loadCredentials } from './credentials';
import { signRequest } from './sigv4';

/**
 * The console's client of the REST API (the same API any user calls): every call is signed with
 * the stored credentials when there are some, and every failure becomes an ApiProblem carrying
 * the API's problem details.
 */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }

  get status(): number {
    return this.problem.status;
  }

  /** The API wants (other) credentials. */
  get needsCredentials(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** Listeners told when a call was refused for lack of (valid) credentials. */
const authListeners = new Set<(problem: ApiProblem) => void>();
export const onAuthenticationNeeded = (listener: (problem: ApiProblem) => void) =>
  authListeners.add(listener);

/** The API lives beside the console: /console is served by the same API. */
const apiBase = () => new URL('.', location.href);

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), apiBase());
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
  const credentials = loadCredentials();
  if (credentials) {
    Object.assign(
      headers,
      await signRequest(
        { method, url, headers, ...(text === undefined ? {} : { body: text }) },
        { credentials, region: credentials.region, service: 'execute-api', date: new Date() },
      ),
    );
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(text === undefined ? {} : { body: text }) });
  } catch (error) {
    throw new ApiProblem({
      status: 0,
      title: 'Network error',
      detail: `The API did not answer: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const replyText = await response.text();
  let reply: unknown;
  try {
    reply = replyText ? JSON.parse(replyText) : undefined;
  } catch {
    reply = undefined;
  }
  if (!response.ok) {
    const problem = new ApiProblem({
      status: response.status,
      title: response.statusText,
      ...(typeof reply === 'object' && reply !== null
        ? (reply as Partial<ProblemDetails>)
        : { detail: replyText }),
    });
    if (problem.needsCredentials) for (const listener of authListeners) listener(problem);
    throw problem;
  }
  return reply as T;
}

const q = (name: string) => `/queues/${encodeURIComponent(name)}`;
const t = (name: string) => `/topics/${encodeURIComponent(name)}`;

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) search.set(name, String(value));
  const text = search.toString().replace(/\+/g, '%20');
  return text ? `?${text}` : '';
}

export const api = {
  listQueues: (params: { counts?: boolean; nextToken?: string; limit?: number } = {}) =>
    call<QueuePage>(
      'GET',
      `/queues${query({ counts: params.counts || undefined, limit: params.limit, nextToken: params.nextToken })}`,
    ),
  getQueue: (name: string) => call<Queue>('GET', q(name)),
  createQueue: (request: Record<string, unknown>) => call<Queue>('POST', '/queues', request),
  updateQueue: (name: string, changes: Record<string, unknown>) => call<Queue>('PATCH', q(name), changes),
  purgeQueue: (name: string) => call<{ purged: number }>('POST', `${q(name)}/purge`),
  stats: (name: string, minutes: number) => call<QueueStats>('GET', `${q(name)}/stats${query({ minutes })}`),
  peek: (name: string, limit: number, state?: 'delayed') =>
    call<{ messages: PeekedMessage[] }>('GET', `${q(name)}/messages${query({ limit, state })}`),
  cancelScheduled: (name: string, messageId: string) =>
    call<undefined>('DELETE', `${q(name)}/messages/scheduled/${encodeURIComponent(messageId)}`),
  send: (
    name: string,
    message: { body: string; attributes?: Record<string, string>; delaySeconds?: number; priority?: number },
  ) => call<{ messageId: string }>('POST', `${q(name)}/messages`, message),
  deadLetters: (name: string, params: DeadLetterBrowseQuery) =>
    call<DeadLetterPage>('GET', `${q(name)}/dead-letters${query({ ...params })}`),
  startRedrive: (name: string, request: RedriveRequest) =>
    call<RedriveTask>('POST', `${q(name)}/redrive`, request),
  listRedrives: (name: string) => call<{ tasks: RedriveTask[] }>('GET', `${q(name)}/redrive`),
  getRedrive: (name: string, taskId: string) =>
    call<RedriveTask>('GET', `${q(name)}/redrive/${encodeURIComponent(taskId)}`),
  cancelRedrive: (name: string, taskId: string) =>
    call<RedriveTask>('POST', `${q(name)}/redrive/${encodeURIComponent(taskId)}/cancel`),
  archive: (name: string, params: ArchiveBrowseQuery) =>
    call<ArchivePage>('GET', `${q(name)}/archive${query({ ...params })}`),
  startReplay: (name: string, request: ReplayRequest) => call<Replay>('POST', `${q(name)}/replays`, request),
  listReplays: (name: string) => call<ReplayList>('GET', `${q(name)}/replays`),
  getReplay: (name: string, taskId: string) =>
    call<Replay>('GET', `${q(name)}/replays/${encodeURIComponent(taskId)}`),
  cancelReplay: (name: string, taskId: string) =>
    call<Replay>('DELETE', `${q(name)}/replays/${encodeURIComponent(taskId)}`),
  listConsumers: (name: string) => call<ConsumerList>('GET', `${q(name)}/consumers`),
  createConsumer: (name: string, request: CreateConsumerRequest) =>
    call<Consumer>('POST', `${q(name)}/consumers`, request),
  updateConsumer: (name: string, id: string, changes: UpdateConsumerRequest) =>
    call<Consumer>('PATCH', `${q(name)}/consumers/${encodeURIComponent(id)}`, changes),
  deleteConsumer: (name: string, id: string) =>
    call<undefined>('DELETE', `${q(name)}/consumers/${encodeURIComponent(id)}`),
  listTopics: (nextToken?: string) => call<TopicPage>('GET', `/topics${query({ nextToken })}`),
  getTopic: (name: string) => call<Topic>('GET', t(name)),
  createTopic: (request: { name: string; fifo?: boolean }) => call<Topic>('POST', '/topics', request),
  listSubscriptions: (topic: string, nextToken?: string) =>
    call<SubscriptionPage>('GET', `${t(topic)}/subscriptions${query({ nextToken })}`),
  subscribe: (topic: string, request: CreateSubscriptionRequest) =>
    call<Subscription>('POST', `${t(topic)}/subscriptions`, request),
  unsubscribe: (topic: string, id: string) =>
    call<void>('DELETE', `${t(topic)}/subscriptions/${encodeURIComponent(id)}`),
  publish: (topic: string, message: PublishRequest) =>
    call<PublishResult>('POST', `${t(topic)}/messages`, message),
};

/** Every topic, page after page (SNS pages by 100). */
export async function allTopics(): Promise<Topic[]> {
  const topics: Topic[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.listTopics(nextToken);
    topics.push(...page.topics);
    nextToken = page.nextToken;
  } while (nextToken);
  return topics;
}

/** A topic's subscriptions, every page. */
export async function allSubscriptions(topic: string): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.listSubscriptions(topic, nextToken);
    subscriptions.push(...page.subscriptions);
    nextToken = page.nextToken;
  } while (nextToken);
  return subscriptions;
}

/** Every queue, page after page (the list page shows them all). */
export async function allQueues(counts: boolean): Promise<Queue[]> {
  const queues: Queue[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.listQueues({ counts, limit: 1000, ...(nextToken ? { nextToken } : {}) });
    queues.push(...page.queues);
    nextToken = page.nextToken;
  } while (nextToken);
  return queues;
}
