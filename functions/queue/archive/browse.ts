import { type QueueContext, queueDoesNotExist } from '../context';
import { invalidParameter } from '../errors';
import { limits } from '../limits';
import type { QueueRecord, QueueRef } from '../model';
import { attributeFilter } from '../operations/dead-letters';
import type { ArchivedMessage } from '../ports/archive-store';
import { attributeMatches } from '../shared/redrive-filter';
import { integerInRange, validateQueueName } from '../validation';
import { archiveReader } from './archive';

/**
 * Browsing a queue's archive: the messages it accepted in a sent-time range, oldest first, paged,
 * optionally only those with a String attribute of a given value (as dead-letter browsing).
 */
export interface ArchiveQuery {
  from?: number;
  to?: number;
  limit?: unknown;
  nextToken?: string;
  attributeName?: unknown;
  attributeValue?: unknown;
}

/** Nothing older than the longest archive retention (and a day of TTL lag) can be there. */
const oldestKept = (now: number) => now - (limits.archiveRetentionSeconds.max + 86_400) * 1000;
const maxTime = 8_640_000_000_000_000;
const positionPattern = /^\d{20}(#[0-9A-Za-z-]+)?$/;

export interface TimeRange {
  from: number;
  to: number;
}

/** A range of sent times: both optional (from the oldest kept to now), from no later than to. */
export function archiveRange(from: number | undefined, to: number | undefined, now: number): TimeRange {
  const start = from === undefined ? oldestKept(now) : integerInRange('from', from, { min: 0, max: maxTime });
  const end = to === undefined ? now : integerInRange('to', to, { min: 0, max: maxTime });
  if (start > end) throw invalidParameter('to', end, 'a time at or after from');
  return { from: Math.max(start, oldestKept(now)), to: end };
}

export async function archivedQueue(ctx: QueueContext, ref: QueueRef): Promise<QueueRecord> {
  validateQueueName(ref.name);
  const queue = await ctx.queues.find(ref);
  if (!queue) throw queueDoesNotExist(ref);
  return queue;
}

export async function browseArchive(
  ctx: QueueContext,
  ref: QueueRef,
  input: ArchiveQuery = {},
): Promise<{ messages: ArchivedMessage[]; nextToken?: string }> {
  const queue = await archivedQueue(ctx, ref);
  const now = ctx.clock.now();
  // By default, from as far back as the archive keeps messages now (archive off: the last week,
  // rather than a year of empty days).
  const kept = now - (queue.archiveRetentionSeconds || 7 * 86_400) * 1000;
  const range = archiveRange(input.from ?? kept, input.to, now);
  const limit = integerInRange('limit', input.limit ?? 20, { min: 1, max: 100 });
  const attribute = attributeFilter(input.attributeName, input.attributeValue);
  let after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken);
  if (!archiveReader(ctx)) return { messages: [] };
  const messages: ArchivedMessage[] = [];
  // A filter may drop most of a read: read again, a few times, before answering with a cursor.
  for (let reads = 0; reads < 10 && messages.length < limit; reads++) {
    const page = await archiveReader(ctx)!.read({
      queueId: queue.id,
      shards: queue.shardCount,
      ...range,
      ...(after === undefined ? {} : { after }),
      limit: limit - messages.length,
      now,
    });
    messages.push(...page.messages.filter((m) => !attribute || attributeMatches(m.attributes, attribute)));
    after = page.next;
    if (after === undefined) break;
  }
  return { messages, ...(after === undefined ? {} : { nextToken: encodeToken(after) }) };
}

const encodeToken = (position: string) => Buffer.from(position, 'utf8').toString('base64url');

function decodeToken(token: string): string {
  const position = Buffer.from(token, 'base64url').toString('utf8');
  if (!positionPattern.test(position)) {
    throw invalidParameter('nextToken', token, 'the nextToken of an earlier page of this archive');
  }
  return position;
}
