import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { type RouteDefinition, routes } from '../../functions/routes';
import type { ServiceFunctionName } from './function-catalog';

/**
 * What each `grant*()` method of QueueService allows on the REST API, by operation name (see
 * functions/routes.ts): `execute-api:Invoke` on exactly those routes. test/infra/grants.test.ts
 * checks that every IAM-authorized route is in `administer` and that the others stay narrow.
 */
export const restAccess = {
  /** Send messages (one or a batch), and cancel the scheduled ones. */
  send: ['sendMessages', 'cancelScheduled'],
  /** Receive, extend or release leases, delete: what a consumer does with what it received. */
  consume: ['receiveMessages', 'changeVisibility', 'deleteMessages', 'deleteMessage'],
  /** Look without changing anything: queues, counts, statistics, peek, dead letters, tasks. */
  read: [
    'openApi',
    'listQueues',
    'getQueue',
    'queueStats',
    'peekMessages',
    'browseDeadLetters',
    'listRedrives',
    'getRedrive',
    'listConsumers',
    'getConsumer',
  ],
  /** Everything the REST API offers, including creating, changing, purging and deleting queues. */
  administer: [] as string[],
} satisfies Record<string, string[]>;

export type RestAccess = keyof typeof restAccess;

export interface QueueGrantOptions {
  /**
   * Queue names the grant is limited to (IAM wildcards `*` and `?` allowed, e.g. `orders-*`). Routes
   * whose path names no queue (listing and creating queues, the OpenAPI document) are not limited.
   * @default - every queue
   */
  readonly queues?: string[];
}

/** The REST routes a grant covers: those of its operations, among the IAM-authorized routes. */
export function routesFor(
  access: RestAccess,
  iamFunctions: ReadonlySet<ServiceFunctionName>,
): RouteDefinition[] {
  const authorized = routes.filter((route) => iamFunctions.has(route.function));
  if (access === 'administer') return authorized;
  const operations: readonly string[] = restAccess[access];
  return authorized.filter((route) => operations.includes(route.operation));
}

/** `execute-api:Invoke` on the given routes of the API's `$default` stage, for the given queues. */
export function grantInvoke(
  grantee: IGrantable,
  api: HttpApi,
  granted: RouteDefinition[],
  options: QueueGrantOptions = {},
): Grant {
  const queues = options.queues ?? ['*'];
  const resourceArns = granted.flatMap((route) => {
    const names = route.path.includes('{name}') ? queues : ['*'];
    return names.map((name) =>
      api.arnForExecuteApi(
        route.method,
        route.path.replace('{name}', name).replace(/\{\w+\}/g, '*'),
        '$default',
      ),
    );
  });
  return Grant.addToPrincipal({
    grantee,
    actions: ['execute-api:Invoke'],
    resourceArns: [...new Set(resourceArns)],
  });
}
