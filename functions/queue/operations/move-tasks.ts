import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type QueueContext, queueDoesNotExist } from '../context';
import { invalidParameter, QueueError } from '../errors';
import { kindOf } from '../kinds';
import type { MoveTask, QueueRecord, QueueRef, RedriveFilter, StoredMessage } from '../model';
import { requireSameKind } from '../shared/kind-settings';
import { finishMoveTask } from '../shared/move-task';
import { integerInRange, validateQueueName } from '../validation';
import { deadLetterSources } from './dead-letters';

/**
 * Redrive as a tracked, asynchronous task (SQS message move tasks): dead letters move back to
 * their source queue or a chosen one, at most `maxPerSecond`, one running task per dead-letter
 * queue. A task runs in slices (scheduled every minute when deployed, on a timer locally) and
 * resumes from its saved cursor, so Lambda timeouts only pause it.
 */
export const maxMovesPerSecond = 500;

export interface StartMoveTaskInput {
  source: QueueRef;
  destination?: string;
  maxPerSecond?: number;
  filter?: RedriveFilter;
}

export async function startMoveTask(ctx: QueueContext, input: StartMoveTaskInput): Promise<MoveTask> {
  validateQueueName(input.source.name, 'source');
  const source = await ctx.queues.find(input.source);
  if (!source) throw queueDoesNotExist(input.source);
  if (input.destination !== undefined) {
    validateQueueName(input.destination, 'destination');
    if (input.destination === input.source.name) {
      throw invalidParameter(
        'destination',
        input.destination,
        'another queue than the dead-letter queue itself',
      );
    }
    const destination = await ctx.queues.find({ ...input.source, name: input.destination });
    if (!destination) {
      throw invalidParameter('destination', input.destination, 'the name of an existing queue');
    }
    requireSameKind(Boolean(source.fifo), destination, 'destination');
  }
  const maxPerSecond = integerInRange('maxPerSecond', input.maxPerSecond ?? maxMovesPerSecond, {
    min: 1,
    max: maxMovesPerSecond,
  });
  const filter = validateFilter(input.filter ?? {});
  // As SQS: a move task reads a dead-letter queue. Without a destination, a queue that is no
  // queue's dead-letter queue has nowhere to send its messages back to.
  if (input.destination === undefined && (await deadLetterSources(ctx, input.source)).length === 0) {
    throw new QueueError(
      'InvalidParameterValue',
      `Source queue must be configured as a Dead Letter Queue. ${input.source.name} is no queue's ` +
        'dead-letter queue: give a destination to move its messages elsewhere',
      { field: 'source', given: input.source.name },
    );
  }
  const now = ctx.clock.now();
  const counts = await kindOf(source).countMessages(ctx, source, now);
  const queued = counts.visible + counts.inFlight;
  const task: MoveTask = {
    taskId: `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`,
    source: input.source,
    sourceQueueId: source.id,
    ...(input.destination === undefined ? {} : { destination: input.destination }),
    maxPerSecond,
    filter,
    status: 'RUNNING',
    startedAt: now,
    updatedAt: now,
    moved: 0,
    queued,
    // Until the dead letters are read, each may match: see shared/move-progress.ts.
    toMove: Math.min(queued, filter.messageIds?.length ?? Number.POSITIVE_INFINITY),
  };
  if ((await ctx.deadLetters.createMoveTask(task)) === 'busy') {
    throw new QueueError(
      'UnsupportedOperation',
      `A move task is already running for ${input.source.name}; wait for it to finish or cancel it first`,
      { field: 'source', given: input.source.name },
    );
  }
  return task;
}

export async function listMoveTasks(ctx: QueueContext, source: QueueRef): Promise<MoveTask[]> {
  validateQueueName(source.name, 'source');
  const queue = await ctx.queues.find(source);
  if (!queue) throw queueDoesNotExist(source);
  return ctx.deadLetters.listMoveTasks(queue.id, 10);
}

export async function getMoveTask(ctx: QueueContext, source: QueueRef, taskId: string): Promise<MoveTask> {
  const queue = await ctx.queues.find(source);
  if (!queue) throw queueDoesNotExist(source);
  const task = await ctx.deadLetters.getMoveTask(queue.id, taskId);
  if (!task) throw taskNotFound(taskId);
  return task;
}

export async function cancelMoveTask(ctx: QueueContext, source: QueueRef, taskId: string): Promise<MoveTask> {
  const task = await getMoveTask(ctx, source, taskId);
  if (task.status !== 'RUNNING') {
    throw new QueueError(
      'ResourceNotFoundException',
      `The move task ${taskId} is ${task.status}; only a running task can be cancelled`,
      { field: 'taskId', given: taskId },
    );
  }
  const cancelled: MoveTask = { ...task, status: 'CANCELLED', updatedAt: ctx.clock.now() };
  if (!(await ctx.deadLetters.saveMoveTask(cancelled, 'RUNNING'))) return getMoveTask(ctx, source, taskId);
  return cancelled;
}

/** Continues every running task for up to `budgetMs`; returns the tasks it worked on. */
export async function runMoveTasks(
  ctx: QueueContext,
  options: { budgetMs?: number } = {},
): Promise<MoveTask[]> {
  const deadline = performance.now() + (options.budgetMs ?? 50_000);
  // Replays run in the sweeper (archive/run-replays.ts), whose bundle already carries the send path.
  const tasks = (await ctx.deadLetters.listRunningMoveTasks()).filter((task) => task.kind !== 'replay');
  const results: MoveTask[] = [];
  for (const task of tasks) {
    if (performance.now() > deadline) break;
    results.push(await runSlice(ctx, task, deadline));
  }
  await ctx.stats.flush();
  return results;
}

/** Continues one task, out of its dead-letter queue by that queue's kind (standard/redrive.ts, fifo/redrive.ts). */
async function runSlice(ctx: QueueContext, task: MoveTask, deadline: number): Promise<MoveTask> {
  const source = await ctx.queues.find(task.source);
  if (!source || source.id !== task.sourceQueueId) {
    return finishMoveTask(ctx, task, 'FAILED', 'The dead-letter queue was deleted');
  }
  const destinations = new Map<string, Promise<QueueRecord | undefined>>();
  const destinationOf = (message: StoredMessage) => {
    const name = task.destination ?? message.deadLetter?.sourceQueue;
    if (name === undefined) return Promise.resolve(undefined);
    let found = destinations.get(name);
    if (!found) {
      found = ctx.queues.find({ ...task.source, name });
      destinations.set(name, found);
    }
    return found;
  };
  return kindOf(source).redriveSlice(ctx, task, source, { deadline, destinationOf });
}

function validateFilter(filter: RedriveFilter): RedriveFilter {
  const valid: RedriveFilter = {};
  if (filter.messageIds !== undefined) {
    if (
      !Array.isArray(filter.messageIds) ||
      filter.messageIds.length === 0 ||
      filter.messageIds.length > 1000
    ) {
      throw invalidParameter('messageIds', filter.messageIds, 'a list of 1 to 1,000 message ids');
    }
    valid.messageIds = filter.messageIds.map(String);
  }
  if (filter.attribute !== undefined) {
    if (typeof filter.attribute?.name !== 'string' || typeof filter.attribute?.value !== 'string') {
      throw invalidParameter('attribute', filter.attribute, 'an object {"name", "value"} of strings');
    }
    valid.attribute = { name: filter.attribute.name, value: filter.attribute.value };
  }
  for (const key of ['deadLetteredAfter', 'deadLetteredBefore'] as const) {
    const value = filter[key];
    if (value !== undefined) valid[key] = integerInRange(key, value, { min: 0, max: 8_640_000_000_000_000 });
  }
  if (
    valid.deadLetteredAfter !== undefined &&
    valid.deadLetteredBefore !== undefined &&
    valid.deadLetteredAfter > valid.deadLetteredBefore
  ) {
    throw invalidParameter('deadLetteredBefore', valid.deadLetteredBefore, 'a time after deadLetteredAfter');
  }
  return valid;
}

function taskNotFound(taskId: string): QueueError {
  return new QueueError('ResourceNotFoundException', `There is no move task ${taskId} for this queue`, {
    field: 'taskId',
    given: taskId,
  });
}
