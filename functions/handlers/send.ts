import { restHandler } from './rest-handler';

/** Lambda entry of the `send` function group (its routes are in functions/routes.ts). */
export const handler = restHandler('send');
