import { receiveOperations } from '../dialects/rest/message-operations';
import { restHandlerOf } from './rest-chain';

/**
 * Lambda entry of the `receive` function group (its routes are in functions/routes.ts): only its own
 * operations, so its bundle carries neither the queue administration nor topics.
 */
export const handler = restHandlerOf('receive', receiveOperations);
