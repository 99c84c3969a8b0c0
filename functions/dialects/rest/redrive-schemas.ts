import * as z from 'zod';
import { queryInteger } from './query-params';

/** Request shapes of the dead-letter and redrive routes (validation and OpenAPI, as in schemas.ts). */
const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 time');

export const browseQuery = z.strictObject({
  order: z.enum(['newest', 'oldest']).optional(),
  limit: queryInteger({ min: 1, max: 100 }).optional(),
  nextToken: z.string().optional(),
  deadLetteredAfter: timestamp.optional(),
  deadLetteredBefore: timestamp.optional(),
  attributeName: z
    .string()
    .optional()
    .describe('only dead letters with this attribute (give attributeValue too)'),
  attributeValue: z
    .string()
    .optional()
    .describe('the String value attributeName must have (give attributeName too)'),
});

export const startRedriveRequest = z.strictObject({
  destination: z
    .string()
    .optional()
    .describe('a queue name; by default each message goes back to its own source queue'),
  maxMessagesPerSecond: z.int().min(1).max(500).optional(),
  messageIds: z.array(z.string()).min(1).max(1000).optional(),
  attribute: z.strictObject({ name: z.string(), value: z.string() }).optional(),
  deadLetteredAfter: timestamp.optional(),
  deadLetteredBefore: timestamp.optional(),
});
