import { restHandler } from './rest-handler';

/** Lambda entry of the `queues` function group (its routes are in functions/routes.ts). */
export const handler = restHandler('queues');
