import { restOperations } from '../dialects/rest/operations';
import type { FunctionName } from '../routes';
import { restHandlerOf } from './rest-chain';

/**
 * Builds the Lambda handler of one function group: it serves the REST routes the route table
 * assigns to that group, and turns every failure into a problem response (never a stack trace).
 */
export function restHandler(group: FunctionName) {
  return restHandlerOf(group, restOperations);
}
