import * as z from 'zod';
import { queryInteger } from './query-params';

/** Query shapes of the routes that look at a queue: statistics and peek (validation and OpenAPI). */
export const statsQuery = z.strictObject({
  minutes: queryInteger({ min: 1, max: 1_440 })
    .optional()
    .describe('the window: this many minutes up to the current one (default 60)'),
});

export const peekQuery = z.strictObject({
  limit: queryInteger({ min: 1, max: 50 }).optional().describe('default 10'),
  state: z.enum(['delayed']).optional().describe('only messages not yet deliverable'),
});
