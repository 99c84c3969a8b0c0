import './topics-runtime';
import { topicOperations } from '../dialects/rest/topic-operations';
import { restHandlerOf } from './rest-chain';

/**
 * Lambda entry of the `topics` function: the REST routes of topics (functions/routes.ts), without
 * the queue routes' code in its bundle.
 */
export const handler = restHandlerOf('topics', topicOperations);
