import * as z from 'zod';
import type { DocumentedOperation } from './documented-operation';
import { queryInteger } from './query-params';

/**
 * Request and reply shapes of the archive and replay routes (validation and OpenAPI, as in
 * schemas.ts and response-schemas.ts). The replies live here, not in response-schemas.ts, so the
 * functions that do not serve these routes do not bundle them.
 */
const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 time');
const replyTime = z.iso.datetime().describe('ISO 8601 time (UTC)');
const attributes = z.record(
  z.string(),
  z.strictObject({
    dataType: z.string().describe('String, Number or Binary, optionally with a .suffix'),
    stringValue: z.string().optional(),
    binaryValue: z.string().optional().describe('base64 of the bytes'),
  }),
);

export const archivedMessageResponse = z.strictObject({
  messageId: z.string(),
  body: z.string(),
  attributes,
  groupId: z.string().optional(),
  sentAt: replyTime,
  archivedUntil: replyTime.describe('when it leaves the archive'),
});

export const archiveResponse = z.strictObject({
  messages: z.array(archivedMessageResponse).describe('oldest first'),
  nextToken: z.string().optional().describe('present when the range may hold more'),
});

export const replayResponse = z.strictObject({
  taskId: z.string(),
  status: z.enum(['RUNNING', 'COMPLETED', 'CANCELLING', 'CANCELLED', 'FAILED']),
  source: z.string().describe('the queue whose archive is replayed'),
  destination: z.string(),
  from: replyTime,
  to: replyTime,
  attributeName: z.string().optional(),
  attributeValue: z.string().optional(),
  maxMessagesPerSecond: z.int(),
  replayed: z.int(),
  toReplay: z
    .int()
    .describe('archived messages the replay selects: an upper bound while it runs, exact once it completed'),
  startedAt: replyTime,
  updatedAt: replyTime,
  failureReason: z.string().optional(),
});

export const replayListResponse = z.strictObject({ replays: z.array(replayResponse) });

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
    responses: { 200: archiveResponse },
  },
  startReplay: {
    summary: 'Replay a sent-time range of the archive into this queue or another one, as new messages',
    request: startReplayRequest,
    responses: { 202: replayResponse },
  },
  listReplays: {
    summary: "The 10 most recent replays of this queue's archive",
    responses: { 200: replayListResponse },
  },
  getReplay: { summary: 'Progress of a replay', responses: { 200: replayResponse } },
  cancelReplay: { summary: 'Cancel a running replay', responses: { 200: replayResponse } },
};
