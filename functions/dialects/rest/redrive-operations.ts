import type { MoveTask, QueueRef, StoredMessage } from '../../queue/model';
import { browseDeadLetters } from '../../queue/operations/dead-letters';
import { cancelMoveTask, getMoveTask, listMoveTasks, startMoveTask } from '../../queue/operations/move-tasks';
import { type HttpEvent, json } from '../http';
import type { Runtime } from '../runtime';
import type { RestOperation } from './operations';
import { check, parseBody } from './parse';
import * as schemas from './redrive-schemas';

/** REST operations on dead letters: browse without leasing, and redrive tasks. */
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const ms = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

const refOf = (event: HttpEvent, runtime: Runtime): QueueRef => ({
  account: runtime.account,
  region: runtime.region,
  name: event.pathParameters?.name ?? '',
});

export function deadLetterRepresentation(message: StoredMessage) {
  const dl = message.deadLetter;
  return {
    messageId: message.id,
    body: message.body,
    attributes: message.attributes,
    sentAt: iso(message.sentAt),
    ...(dl
      ? {
          deadLetter: {
            sourceQueue: dl.sourceQueue,
            reason: dl.reason,
            receiveCount: dl.receiveCount,
            firstReceivedAt: iso(dl.firstReceivedAt),
            lastReceivedAt: iso(dl.lastReceivedAt),
            deadLetteredAt: iso(dl.deadLetteredAt),
          },
        }
      : {}),
  };
}

export function taskRepresentation(task: MoveTask) {
  return {
    taskId: task.taskId,
    status: task.status,
    source: task.source.name,
    ...(task.destination ? { destination: task.destination } : {}),
    maxMessagesPerSecond: task.maxPerSecond,
    moved: task.moved,
    toMove: task.toMove,
    startedAt: iso(task.startedAt),
    updatedAt: iso(task.updatedAt),
    filter: {
      ...task.filter,
      ...(task.filter.deadLetteredAfter === undefined
        ? {}
        : { deadLetteredAfter: iso(task.filter.deadLetteredAfter) }),
      ...(task.filter.deadLetteredBefore === undefined
        ? {}
        : { deadLetteredBefore: iso(task.filter.deadLetteredBefore) }),
    },
    ...(task.failureReason ? { failureReason: task.failureReason } : {}),
  };
}

export const redriveOperations: Record<string, RestOperation> = {
  browseDeadLetters: async (event, runtime) => {
    const query = check(schemas.browseQuery, event.queryStringParameters ?? {});
    const page = await browseDeadLetters(runtime.queue, refOf(event, runtime), {
      order: query.order,
      limit: query.limit,
      ...(query.nextToken ? { nextToken: query.nextToken } : {}),
      ...(query.deadLetteredAfter ? { deadLetteredAfter: ms(query.deadLetteredAfter) } : {}),
      ...(query.deadLetteredBefore ? { deadLetteredBefore: ms(query.deadLetteredBefore) } : {}),
      ...(query.attributeName === undefined ? {} : { attributeName: query.attributeName }),
      ...(query.attributeValue === undefined ? {} : { attributeValue: query.attributeValue }),
    });
    return json(200, {
      messages: page.messages.map(deadLetterRepresentation),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    });
  },

  startRedrive: async (event, runtime) => {
    const request = parseBody(event, schemas.startRedriveRequest, { optional: true });
    const task = await startMoveTask(runtime.queue, {
      source: refOf(event, runtime),
      ...(request.destination ? { destination: request.destination } : {}),
      ...(request.maxMessagesPerSecond ? { maxPerSecond: request.maxMessagesPerSecond } : {}),
      filter: {
        ...(request.messageIds ? { messageIds: request.messageIds } : {}),
        ...(request.attribute ? { attribute: request.attribute } : {}),
        ...(request.deadLetteredAfter ? { deadLetteredAfter: ms(request.deadLetteredAfter) } : {}),
        ...(request.deadLetteredBefore ? { deadLetteredBefore: ms(request.deadLetteredBefore) } : {}),
      },
    });
    const result = json(202, taskRepresentation(task));
    result.headers = { ...result.headers, location: `/queues/${task.source.name}/redrive/${task.taskId}` };
    return result;
  },

  listRedrives: async (event, runtime) => {
    const tasks = await listMoveTasks(runtime.queue, refOf(event, runtime));
    return json(200, { tasks: tasks.map(taskRepresentation) });
  },

  getRedrive: async (event, runtime) => {
    const task = await getMoveTask(runtime.queue, refOf(event, runtime), event.pathParameters?.taskId ?? '');
    return json(200, taskRepresentation(task));
  },

  cancelRedrive: async (event, runtime) => {
    const task = await cancelMoveTask(
      runtime.queue,
      refOf(event, runtime),
      event.pathParameters?.taskId ?? '',
    );
    return json(200, taskRepresentation(task));
  },
};
