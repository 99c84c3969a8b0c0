import { browseDeadLetters } from '../../queue/operations/dead-letters';
import { cancelMoveTask, getMoveTask, listMoveTasks, startMoveTask } from '../../queue/operations/move-tasks';
import { json } from '../http';
import { check, parseBody } from './parse';
import * as schemas from './redrive-schemas';
import { deadLetterRepresentation, taskRepresentation } from './representations';
import { type RestOperation, refOf } from './rest-operation';

/** REST operations on dead letters: browse without leasing, and redrive tasks. */
const ms = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

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
