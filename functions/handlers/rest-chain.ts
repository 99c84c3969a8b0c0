import middy from '@middy/core';
import type { HttpEvent, HttpResult } from '../dialects/http';
import { toProblem } from '../dialects/rest/problem';
import { QueueError } from '../queue/errors';
import { type FunctionName, routeKey, routes } from '../routes';
import { logError } from './log';
import { getRuntime, type Runtime } from './runtime';

/**
 * The same, over the given operations only: a function that serves its own routes (topics) does not
 * bundle the queue routes' code. A function whose operations need more than the common runtime
 * (the consumers function: push delivery) gives its own.
 */
export function restHandlerOf<R extends Runtime = Runtime>(
  group: FunctionName,
  operations: Record<string, (event: HttpEvent, runtime: R) => Promise<HttpResult>>,
  runtimeOf: () => Promise<R> = getRuntime as () => Promise<R>,
) {
  const served = new Map<string, (event: HttpEvent, runtime: R) => Promise<HttpResult>>();
  for (const route of routes) {
    const operation = operations[route.operation];
    if (route.function === group && operation) served.set(routeKey(route), operation);
  }
  return middy<HttpEvent, HttpResult>()
    .use({
      onError: async (request) => {
        logError(
          { requestId: request.event.requestContext?.requestId, routeKey: request.event.routeKey },
          request.error,
        );
        request.response = toProblem(request.error);
      },
    })
    .handler(async (event) => {
      const operation = served.get(event.routeKey);
      if (!operation) throw new QueueError('NotFound', `This function does not serve ${event.routeKey}`);
      return operation(event, await runtimeOf());
    });
}
