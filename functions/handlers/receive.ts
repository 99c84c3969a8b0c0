import { restHandler } from './rest-handler';

/** Lambda entry of the `receive` function group (its routes are in functions/routes.ts). */
export const handler = restHandler('receive');
