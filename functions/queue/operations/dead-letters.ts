import { type QueueContext, queueDoesNotExist } from '../context';
import { invalidParameter, missingParameter } from '../errors';
import type { QueueRecord, QueueRef, StoredMessage } from '../model';
import { integerInRange, validateAttributeName, validateQueueName } from '../validation';

/**
 * Dead letters, as people and redrive tools look at them: a queue's dead letters newest or oldest
 * first, and the queues that send their dead letters to a queue. Moving them there is the kinds'
 * work (standard/dead-letters.ts, fifo/dead-letters.ts), done by receives and the sweep.
 */

export interface BrowseInput {
  order?: unknown;
  limit?: unknown;
  nextToken?: string;
  deadLetteredAfter?: number;
  deadLetteredBefore?: number;
  attributeName?: unknown;
  attributeValue?: unknown;
}

/** Dead letters of a queue, newest or oldest first, without leasing them. */
export async function browseDeadLetters(
  ctx: QueueContext,
  ref: QueueRef,
  input: BrowseInput = {},
): Promise<{ messages: StoredMessage[]; nextToken?: string }> {
  validateQueueName(ref.name);
  const queue = await ctx.queues.find(ref);
  if (!queue) throw queueDoesNotExist(ref);
  const order = input.order ?? 'newest';
  if (order !== 'newest' && order !== 'oldest') throw invalidParameter('order', order, 'newest or oldest');
  const limit = integerInRange('limit', input.limit ?? 20, { min: 1, max: 100 });
  const attribute = attributeFilter(input.attributeName, input.attributeValue);
  return ctx.deadLetters.listDeadLetters({
    queueId: queue.id,
    order,
    limit,
    ...(input.nextToken === undefined ? {} : { nextToken: input.nextToken }),
    ...(input.deadLetteredAfter === undefined ? {} : { deadLetteredAfter: input.deadLetteredAfter }),
    ...(input.deadLetteredBefore === undefined ? {} : { deadLetteredBefore: input.deadLetteredBefore }),
    ...(attribute ? { attribute } : {}),
  });
}

/** The String attribute a browse filters on: a name and a value together, or neither. */
export function attributeFilter(name: unknown, value: unknown): { name: string; value: string } | undefined {
  if (name === undefined && value === undefined) return undefined;
  if (name === undefined)
    throw missingParameter('attributeName', 'an attribute name, given with attributeValue');
  if (value === undefined)
    throw missingParameter('attributeValue', 'a String value, given with attributeName');
  if (typeof name !== 'string') throw invalidParameter('attributeName', name, 'an attribute name');
  validateAttributeName('attributeName', name);
  // SQS refuses empty String attribute values, so an empty filter could never match.
  if (typeof value !== 'string' || value === '')
    throw invalidParameter('attributeValue', value, 'a non-empty String attribute value');
  return { name, value };
}

/** Queues whose redrive policy names this queue as their dead-letter queue. */
export async function deadLetterSources(ctx: QueueContext, ref: QueueRef): Promise<QueueRecord[]> {
  const sources: QueueRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.store.listQueues({
      account: ref.account,
      region: ref.region,
      limit: 1000,
      nextToken,
    });
    sources.push(...page.queues.filter((q) => q.deadLetterQueue === ref.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return sources;
}
