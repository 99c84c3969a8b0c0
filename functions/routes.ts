import { signingCertificatePath } from './topics/model';

/**
 * The one route table: the CDK stack creates an API Gateway route per entry and the local host
 * serves the same entries, so local and deployed routes cannot drift. `function` names the
 * Lambda function (functions/handlers/<function>.ts) that serves the route.
 */
export type FunctionName =
  | 'queues'
  | 'send'
  | 'receive'
  | 'delete'
  | 'sqs'
  | 'redrive'
  | 'console'
  | 'topics'
  | 'consumers';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  function: FunctionName;
  /** Name of the REST operation in its function's table (functions/dialects/rest/*-operations.ts; `sqs` for the SQS protocol). */
  operation: string;
  /**
   * Served without a signature by a function that verifies every other request itself: public
   * content only (the notification-signing certificate).
   */
  public?: true;
}

export const routes: RouteDefinition[] = [
  { method: 'GET', path: '/openapi.json', function: 'queues', operation: 'openApi' },
  { method: 'POST', path: '/queues', function: 'queues', operation: 'createQueue' },
  { method: 'GET', path: '/queues', function: 'queues', operation: 'listQueues' },
  { method: 'GET', path: '/queues/{name}', function: 'queues', operation: 'getQueue' },
  { method: 'PATCH', path: '/queues/{name}', function: 'queues', operation: 'updateQueue' },
  { method: 'DELETE', path: '/queues/{name}', function: 'queues', operation: 'deleteQueue' },
  { method: 'POST', path: '/queues/{name}/purge', function: 'queues', operation: 'purgeQueue' },
  { method: 'GET', path: '/queues/{name}/stats', function: 'queues', operation: 'queueStats' },
  { method: 'GET', path: '/queues/{name}/messages', function: 'queues', operation: 'peekMessages' },
  { method: 'POST', path: '/queues/{name}/messages', function: 'send', operation: 'sendMessages' },
  {
    method: 'POST',
    path: '/queues/{name}/messages/receive',
    function: 'receive',
    operation: 'receiveMessages',
  },
  {
    method: 'POST',
    path: '/queues/{name}/messages/visibility',
    function: 'receive',
    operation: 'changeVisibility',
  },
  { method: 'POST', path: '/queues/{name}/messages/delete', function: 'delete', operation: 'deleteMessages' },
  {
    method: 'DELETE',
    path: '/queues/{name}/messages/{receiptHandle}',
    function: 'delete',
    operation: 'deleteMessage',
  },
  {
    method: 'DELETE',
    path: '/queues/{name}/messages/scheduled/{messageId}',
    function: 'delete',
    operation: 'cancelScheduled',
  },
  { method: 'GET', path: '/queues/{name}/dead-letters', function: 'redrive', operation: 'browseDeadLetters' },
  { method: 'POST', path: '/queues/{name}/redrive', function: 'redrive', operation: 'startRedrive' },
  { method: 'GET', path: '/queues/{name}/archive', function: 'redrive', operation: 'browseArchive' },
  { method: 'POST', path: '/queues/{name}/replays', function: 'redrive', operation: 'startReplay' },
  { method: 'GET', path: '/queues/{name}/replays', function: 'redrive', operation: 'listReplays' },
  { method: 'GET', path: '/queues/{name}/replays/{taskId}', function: 'redrive', operation: 'getReplay' },
  {
    method: 'DELETE',
    path: '/queues/{name}/replays/{taskId}',
    function: 'redrive',
    operation: 'cancelReplay',
  },
  { method: 'GET', path: '/queues/{name}/redrive', function: 'redrive', operation: 'listRedrives' },
  { method: 'GET', path: '/queues/{name}/redrive/{taskId}', function: 'redrive', operation: 'getRedrive' },
  {
    method: 'POST',
    path: '/queues/{name}/redrive/{taskId}/cancel',
    function: 'redrive',
    operation: 'cancelRedrive',
  },
  // Consumers (push delivery): in their own function (the dispatcher is not a route).
  { method: 'POST', path: '/queues/{name}/consumers', function: 'consumers', operation: 'createConsumer' },
  { method: 'GET', path: '/queues/{name}/consumers', function: 'consumers', operation: 'listConsumers' },
  { method: 'GET', path: '/queues/{name}/consumers/{id}', function: 'consumers', operation: 'getConsumer' },
  {
    method: 'PATCH',
    path: '/queues/{name}/consumers/{id}',
    function: 'consumers',
    operation: 'updateConsumer',
  },
  {
    method: 'DELETE',
    path: '/queues/{name}/consumers/{id}',
    function: 'consumers',
    operation: 'deleteConsumer',
  },
  // Topics: administration and publishing, in their own function (deliveries are queue sends).
  { method: 'POST', path: '/topics', function: 'topics', operation: 'createTopic' },
  { method: 'GET', path: '/topics', function: 'topics', operation: 'listTopics' },
  { method: 'GET', path: '/topics/{name}', function: 'topics', operation: 'getTopic' },
  { method: 'DELETE', path: '/topics/{name}', function: 'topics', operation: 'deleteTopic' },
  {
    method: 'POST',
    path: '/topics/{name}/subscriptions',
    function: 'topics',
    operation: 'createSubscription',
  },
  { method: 'GET', path: '/topics/{name}/subscriptions', function: 'topics', operation: 'listSubscriptions' },
  {
    method: 'PATCH',
    path: '/topics/{name}/subscriptions/{id}',
    function: 'topics',
    operation: 'updateSubscription',
  },
  {
    method: 'DELETE',
    path: '/topics/{name}/subscriptions/{id}',
    function: 'topics',
    operation: 'deleteSubscription',
  },
  { method: 'POST', path: '/topics/{name}/messages', function: 'topics', operation: 'publish' },
  // The web console's page and assets: static, public (no data; every API call it makes is signed).
  // Assets sit three segments deep: on AWS a two-segment `/console/{x}` would lose to the SQS
  // route `/{accountId}/{queueName}`, since API Gateway prefers any non-greedy match to `{x+}`.
  { method: 'GET', path: '/console', function: 'console', operation: 'console' },
  { method: 'GET', path: '/console/assets/{asset}', function: 'console', operation: 'console' },
  // The Amazon SQS wire protocol: JSON clients post to `/`, Query clients to `/` or to the queue URL's
  // path, with GET for Query requests in the query string. `/{accountId}/{queueName}` has more path
  // variables than any REST route, so API Gateway prefers the REST routes where both match.
  { method: 'POST', path: '/', function: 'sqs', operation: 'sqs' },
  // The certificate SNS-style notifications are signed under (SigningCertURL): public, no data.
  { method: 'GET', path: signingCertificatePath, function: 'sqs', operation: 'sqs', public: true },
  { method: 'GET', path: '/', function: 'sqs', operation: 'sqs' },
  { method: 'POST', path: '/{accountId}/{queueName}', function: 'sqs', operation: 'sqs' },
  { method: 'GET', path: '/{accountId}/{queueName}', function: 'sqs', operation: 'sqs' },
];

/**
 * Functions run on a schedule (EventBridge when deployed, a timer locally), outside the API:
 * the sweeper moves dead letters and removes expired messages; redrive continues move tasks.
 */
export const schedules = [
  { function: 'sweeper', everySeconds: 60, localEverySeconds: 10 },
  { function: 'redrive', everySeconds: 60, localEverySeconds: 1 },
] as const;

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>) => `${route.method} ${route.path}`;
