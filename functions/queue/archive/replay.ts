import { randomBytes } from 'node:crypto';
import type { QueueContext } from '../context';
import { invalidParameter, QueueError } from '../errors';
import type { MoveTask, QueueRef } from '../model';
import { attributeFilter } from '../operations/dead-letters';
import { requireSameKind } from '../shared/kind-settings';
import { integerInRange, validateQueueName } from '../validation';
import { archiveReader } from './archive';
import { archivedQueue, archiveRange } from './browse';

/**
 * Replays: a sent-time range of a queue's archive sent again, into the queue or another one of
 * the same kind, as new messages. A replay is a move task of kind 'replay' (model.ts MoveTask):
 * it is stored, locked (one running replay per destination), continued by the same schedule,
 * paced, cancelled and counted as redrive tasks are (shared/move-task.ts, move-progress.ts);
 * only its slice differs (replay-slice.ts).
 */
export const maxReplaysPerSecond = 500;

export interface StartReplayInput {
  source: QueueRef;
  from: number;
  to: number;
  destination?: string;
  attributeName?: unknown;
  attributeValue?: unknown;
  maxPerSecond?: number;
}

export async function startReplay(ctx: QueueContext, input: StartReplayInput): Promise<MoveTask> {
  const source = await archivedQueue(ctx, input.source);
  const name = input.destination ?? input.source.name;
  validateQueueName(name, 'destination');
  const destination = name === source.ref.name ? source : await ctx.queues.find({ ...input.source, name });
  if (!destination) throw invalidParameter('destination', name, 'the name of an existing queue');
  requireSameKind(Boolean(source.fifo), destination, 'destination');
  const now = ctx.clock.now();
  // Only what was archived before the replay starts: a replay into its own queue never reaches
  // the copies it makes (they are archived too, after `now`).
  const range = archiveRange(input.from, input.to, now);
  range.to = Math.min(range.to, now);
  if (range.from > range.to) throw invalidParameter('from', input.from, 'a time before now');
  const maxPerSecond = integerInRange('maxPerSecond', input.maxPerSecond ?? maxReplaysPerSecond, {
    min: 1,
    max: maxReplaysPerSecond,
  });
  const attribute = attributeFilter(input.attributeName, input.attributeValue);
  if (!archiveReader(ctx)) throw new QueueError('UnsupportedOperation', 'This service keeps no archives');
  const archived = await archiveReader(ctx)!.count({
    queueId: source.id,
    shards: source.shardCount,
    ...range,
    now,
  });
  const task: MoveTask = {
    kind: 'replay',
    taskId: `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`,
    source: source.ref,
    sourceQueueId: source.id,
    destination: name,
    replay: { ...range, destinationQueueId: destination.id },
    maxPerSecond,
    filter: attribute ? { attribute } : {},
    status: 'RUNNING',
    startedAt: now,
    updatedAt: now,
    moved: 0,
    queued: archived,
    toMove: archived,
  };
  if ((await ctx.deadLetters.createMoveTask(task)) === 'busy') {
    throw new QueueError(
      'UnsupportedOperation',
      `A replay into ${name} is already running; wait for it to finish or cancel it first`,
      { field: 'destination', given: name },
    );
  }
  return task;
}

export async function listReplays(ctx: QueueContext, source: QueueRef): Promise<MoveTask[]> {
  const queue = await archivedQueue(ctx, source);
  return ctx.deadLetters.listMoveTasks(queue.id, 10, 'replay');
}

export async function getReplay(ctx: QueueContext, source: QueueRef, taskId: string): Promise<MoveTask> {
  const queue = await archivedQueue(ctx, source);
  const task = await ctx.deadLetters.getMoveTask(queue.id, taskId, 'replay');
  if (!task) {
    throw new QueueError(
      'ResourceNotFoundException',
      `There is no replay ${taskId} of this queue's archive`,
      {
        field: 'taskId',
        given: taskId,
      },
    );
  }
  return task;
}

export async function cancelReplay(ctx: QueueContext, source: QueueRef, taskId: string): Promise<MoveTask> {
  const task = await getReplay(ctx, source, taskId);
  if (task.status !== 'RUNNING') {
    throw new QueueError(
      'ResourceNotFoundException',
      `The replay ${taskId} is ${task.status}; only a running replay can be cancelled`,
      { field: 'taskId', given: taskId },
    );
  }
  const cancelled: MoveTask = { ...task, status: 'CANCELLED', updatedAt: ctx.clock.now() };
  if (!(await ctx.deadLetters.saveMoveTask(cancelled, 'RUNNING'))) return getReplay(ctx, source, taskId);
  return cancelled;
}
