import * as z from 'zod';
import type { DocumentedOperation } from './openapi';
import { queryInteger } from './query-params';
import * as replies from './response-schemas';

/** Request shapes of the archive and replay routes (validation and OpenAPI, as in schemas.ts). */
const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 time');

export const browseArchiveQuery = z.strictObject({
  from: timestamp.optional().describe('sent at or after; default: as far back as the archive keeps'),
  to: timestamp.optional().describe('sent at or before; default: now'),
  limit: queryInteger({ min: 1, max: 100 }).optional(),
  nextToken: z.string().optional(),
  attributeName: z
    .string()
    .optional()
    .describe('only messages with this attribute (give attributeValue too)'),
  attributeValue: z
    .string()
    .optional()
    .describe('the String value attributeName must have (give attributeName too)'),
});

export const startReplayRequest = z.strictObject({
  from: timestamp.describe('replay messages sent at or after this time'),
  to: timestamp.describe('... and at or before this time (at most now)'),
  destination: z.string().optional().describe('a queue of the same kind; by default the queue itself'),
  attributeName: z.string().optional(),
  attributeValue: z.string().optional(),
  maxMessagesPerSecond: z.int().min(1).max(500).optional(),
});

export const archiveOpenApi: Record<string, DocumentedOperation> = {
  browseArchive: {
    summary: "Browse the queue's archive by sent time, oldest first (archiveRetentionSeconds > 0)",
    query: browseArchiveQuery,
    responses: { 200: replies.archiveResponse },
  },
  startReplay: {
    summary: 'Replay a sent-time range of the archive into this queue or another one, as new messages',
    request: startReplayRequest,
    responses: { 202: replies.replayResponse },
  },
  listReplays: {
    summary: "The 10 most recent replays of this queue's archive",
    responses: { 200: replies.replayListResponse },
  },
  getReplay: { summary: 'Progress of a replay', responses: { 200: replies.replayResponse } },
  cancelReplay: { summary: 'Cancel a running replay', responses: { 200: replies.replayResponse } },
};
