import { performance } from 'node:perf_hooks';
import { type QueueContext, queueDoesNotExist } from '../context';
import { invalidParameter, missingParameter } from '../errors';
import { sweepFifoQueue } from '../fifo/dead-letters';
import type { QueueRecord, QueueRef, StoredMessage } from '../model';
import { integerInRange, validateAttributeName, validateQueueName } from '../validation';
import { sampleDepth } from './stats';

/**
 * Dead letters: a message received maxReceiveCount times without being deleted is set aside in
 * its queue's dead-letter queue, by the sweeper when its lease expires and at the latest by the
 * receive that would deliver it again. The move is one transaction in the store.
 */

export const reasons = {
  sweep: 'maxReceiveCount reached: the last lease expired without a delete',
  receive: 'maxReceiveCount reached: found by a receive after the last lease expired',
} as const;

/** Moves one exhausted message; false if it changed meanwhile or there is no dead-letter queue. */
export async function moveExhausted(
  ctx: QueueContext,
  queue: QueueRecord,
  messageId: string,
  reason: string,
): Promise<boolean> {
  if (queue.deadLetterQueue === undefined) return false;
  const target = await ctx.queues.find({ ...queue.ref, name: queue.deadLetterQueue });
  // A deleted dead-letter queue: the message stays (undelivered) until the policy is fixed.
  if (!target) return false;
  const outcome = await ctx.deadLetters.moveToDeadLetterQueue({
    source: queue,
    messageId,
    now: ctx.clock.now(),
    target,
    reason,
  });
  if (outcome !== 'moved') return false;
  // Written by the flush of the receive or sweep that moved it.
  ctx.stats.count(queue.id, 'deadLettered');
  return true;
}

export interface SweepReport {
  queues: number;
  deadLettered: number;
  expired: number;
  /** False when the time budget ran out first; the next sweep resumes where this one stopped. */
  complete: boolean;
}

/**
 * One sweep over every queue: moves exhausted messages whose lease expired to their dead-letter
 * queue and removes messages past retention (DynamoDB TTL is late, and DynamoDB Local never
 * applies it). Bounded by `budgetMs`; it resumes from a saved cursor.
 */
export async function sweep(
  ctx: QueueContext,
  options: { budgetMs?: number; pageSize?: number } = {},
): Promise<SweepReport> {
  const deadline = performance.now() + (options.budgetMs ?? 50_000);
  const pageSize = options.pageSize ?? 100;
  const report: SweepReport = { queues: 0, deadLettered: 0, expired: 0, complete: false };
  let after = await ctx.deadLetters.getSweepCursor();
  for (;;) {
    const page = await ctx.deadLetters.listAllQueues(after, 50);
    for (const { queue, cursor } of page.queues) {
      // A queue cut short is swept again from its start next time: resume before it.
      if (performance.now() > deadline || !(await sweepQueue(ctx, queue, pageSize, deadline, report))) {
        await ctx.deadLetters.setSweepCursor(after);
        await ctx.stats.flush();
        return report;
      }
      report.queues++;
      if (performance.now() < deadline) await sampleDepth(ctx, queue);
      after = cursor;
    }
    if (!page.next) break;
    after = page.next;
  }
  await ctx.deadLetters.setSweepCursor(undefined);
  report.complete = true;
  await ctx.stats.flush();
  return report;
}

/** Sweeps every shard of a queue page by page; false when the time budget ran out first. */
async function sweepQueue(
  ctx: QueueContext,
  queue: QueueRecord,
  pageSize: number,
  deadline: number,
  report: SweepReport,
): Promise<boolean> {
  if (queue.fifo) return sweepFifoQueue(ctx, queue, pageSize, deadline, report, reasons.sweep);
  const limit = queue.deadLetterQueue === undefined ? undefined : queue.maxReceiveCount;
  for (let shard = 0; shard < queue.shardCount; shard++) {
    for (;;) {
      if (performance.now() > deadline) return false;
      const now = ctx.clock.now();
      const found = await ctx.deadLetters.findSweepable(queue.id, shard, now, limit, pageSize);
      const before = report.expired + report.deadLettered;
      // Moves are independent transactions: run a few at once.
      for (let i = 0; i < found.length; i += 16) {
        await Promise.all(
          found.slice(i, i + 16).map(async ({ messageId, expired }) => {
            if (expired) {
              await ctx.store.removeUndeliverable(queue.id, messageId, now);
              report.expired++;
            } else if (await moveExhausted(ctx, queue, messageId, reasons.sweep)) {
              report.deadLettered++;
            }
          }),
        );
      }
      // Done with the shard, or some messages could not move now (taken by a receiver, or no
      // dead-letter queue): they are tried again next sweep rather than read over and over.
      if (found.length < pageSize || report.expired + report.deadLettered - before < found.length) break;
    }
  }
  return true;
}

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
function attributeFilter(name: unknown, value: unknown): { name: string; value: string } | undefined {
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
