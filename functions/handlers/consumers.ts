import { consumerOperations } from '../dialects/rest/consumer-operations';
import { getPushRuntime } from './push-runtime';
import { restHandlerOf } from './rest-chain';

/**
 * Lambda entry of the `consumers` function: the REST routes of a queue's push consumers
 * (functions/routes.ts), apart from the queues function so that neither bundle carries the other's code.
 */
export const handler = restHandlerOf('consumers', consumerOperations, getPushRuntime);
