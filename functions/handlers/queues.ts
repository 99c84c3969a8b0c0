import { queueOperations } from '../dialects/rest/queue-operations';
import { restHandlerOf } from './rest-chain';

/**
 * Lambda entry of the `queues` function group (its routes are in functions/routes.ts): queue
 * administration, statistics, peek and the OpenAPI document, without the message, redrive and
 * topic routes' code in its bundle.
 */
export const handler = restHandlerOf('queues', queueOperations);
