import * as z from 'zod';
import { messageStates } from '../../queue/states';
import { queryInteger } from './query-params';

/** Shapes of the routes that look at a queue: statistics and peek (validation and OpenAPI). */
export const statsQuery = z.strictObject({
  minutes: queryInteger({ min: 1, max: 1_440 })
    .optional()
    .describe('the window: this many minutes up to the current one (default 60)'),
});

export const peekQuery = z.strictObject({
  limit: queryInteger({ min: 1, max: 50 }).optional().describe('default 10'),
});

export const statsResponse = z.object({
  name: z.string(),
  minutes: z.array(
    z.object({
      minute: z.iso.datetime().describe('start of the minute'),
      sent: z.int(),
      received: z.int(),
      deleted: z.int(),
      deadLettered: z.int().describe('moved from this queue to its dead-letter queue'),
      redriven: z.int().describe('moved out of this (dead-letter) queue by redrive tasks'),
      visible: z.int().optional().describe('depth fields: only for minutes the sweeper sampled'),
      inFlight: z.int().optional(),
      delayed: z.int().optional(),
    }),
  ),
});

export const peekResponse = z.object({
  messages: z.array(
    z.object({
      messageId: z.string(),
      body: z.string(),
      attributes: z.record(
        z.string(),
        z.object({
          dataType: z.string(),
          stringValue: z.string().optional(),
          binaryValue: z.string().optional(),
        }),
      ),
      sentAt: z.iso.datetime(),
      receiveCount: z.int(),
      state: z.enum(messageStates),
      visibleAt: z.iso.datetime().describe('when it is (or became) visible: the lease end when in flight'),
      groupId: z.string().optional(),
      sequenceNumber: z.string().optional(),
    }),
  ),
});
