import middy from '@middy/core';
import type { HttpEvent, HttpResult } from '../dialects/http';
import { type RestOperation, restOperations } from '../dialects/rest/operations';
import { toProblem } from '../dialects/rest/problem';
import { QueueError } from '../queue/errors';
import { type FunctionName, routeKey, routes } from '../routes';
import { logError } from './log';
import { getRuntime } from './runtime';

/**
 * Builds the Lambda handler of one function group: it serves the REST routes the route table
 * assigns to that group, and turns every failure into a problem response (never a stack trace).
 */
export function restHandler(group: FunctionName) {
  const served = new Map<string, RestOperation>();
  for (const route of routes) {
    const operation = restOperations[route.operation];
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
      return operation(event, await getRuntime());
    });
}
