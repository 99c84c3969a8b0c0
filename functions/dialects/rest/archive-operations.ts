import type * as z from 'zod';
import { browseArchive } from '../../queue/archive/browse';
import { cancelReplay, getReplay, listReplays, startReplay } from '../../queue/archive/replay';
import type { MoveTask } from '../../queue/model';
import type { ArchivedMessage } from '../../queue/ports/archive-store';
import { json } from '../http';
import * as schemas from './archive-schemas';
import { check, parseBody } from './parse';
import { type RestOperation, refOf } from './rest-operation';

/**
 * REST operations on queues' archives: browse, and replays. Served by the redrive function (as
 * move tasks are), so the queues function's bundle does not carry them.
 */
type Reply<Schema extends z.ZodType> = z.output<Schema>;
const ms = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
const iso = (time: number) => new Date(time).toISOString();

export const archiveOperations: Record<string, RestOperation> = {
  browseArchive: async (event, runtime) => {
    const query = check(schemas.browseArchiveQuery, event.queryStringParameters ?? {});
    const page = await browseArchive(runtime.queue, refOf(event, runtime), {
      ...(query.from ? { from: ms(query.from) } : {}),
      ...(query.to ? { to: ms(query.to) } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.nextToken ? { nextToken: query.nextToken } : {}),
      ...(query.attributeName === undefined ? {} : { attributeName: query.attributeName }),
      ...(query.attributeValue === undefined ? {} : { attributeValue: query.attributeValue }),
    });
    const reply: Reply<typeof schemas.archiveResponse> = {
      messages: page.messages.map(archivedRepresentation),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
    return json(200, reply);
  },

  startReplay: async (event, runtime) => {
    const request = parseBody(event, schemas.startReplayRequest);
    const task = await startReplay(runtime.queue, {
      source: refOf(event, runtime),
      from: ms(request.from)!,
      to: ms(request.to)!,
      ...(request.destination ? { destination: request.destination } : {}),
      ...(request.attributeName === undefined ? {} : { attributeName: request.attributeName }),
      ...(request.attributeValue === undefined ? {} : { attributeValue: request.attributeValue }),
      ...(request.maxMessagesPerSecond ? { maxPerSecond: request.maxMessagesPerSecond } : {}),
    });
    const result = json(202, replayRepresentation(task));
    result.headers = { ...result.headers, location: `/queues/${task.source.name}/replays/${task.taskId}` };
    return result;
  },

  listReplays: async (event, runtime) => {
    const tasks = await listReplays(runtime.queue, refOf(event, runtime));
    const reply: Reply<typeof schemas.replayListResponse> = { replays: tasks.map(replayRepresentation) };
    return json(200, reply);
  },

  getReplay: async (event, runtime) => {
    const task = await getReplay(runtime.queue, refOf(event, runtime), event.pathParameters?.taskId ?? '');
    return json(200, replayRepresentation(task));
  },

  cancelReplay: async (event, runtime) => {
    const task = await cancelReplay(runtime.queue, refOf(event, runtime), event.pathParameters?.taskId ?? '');
    return json(200, replayRepresentation(task));
  },
};

export function archivedRepresentation(m: ArchivedMessage): Reply<typeof schemas.archivedMessageResponse> {
  return {
    messageId: m.id,
    body: m.body,
    attributes: m.attributes,
    ...(m.groupId === undefined ? {} : { groupId: m.groupId }),
    sentAt: iso(m.sentAt),
    archivedUntil: iso(m.expiresAt),
  };
}

export function replayRepresentation(task: MoveTask): Reply<typeof schemas.replayResponse> {
  const attribute = task.filter.attribute;
  return {
    taskId: task.taskId,
    status: task.status,
    source: task.source.name,
    destination: task.destination ?? task.source.name,
    from: iso(task.replay?.from ?? 0),
    to: iso(task.replay?.to ?? 0),
    ...(attribute ? { attributeName: attribute.name, attributeValue: attribute.value } : {}),
    maxMessagesPerSecond: task.maxPerSecond,
    replayed: task.moved,
    toReplay: task.toMove,
    startedAt: iso(task.startedAt),
    updatedAt: iso(task.updatedAt),
    ...(task.failureReason ? { failureReason: task.failureReason } : {}),
  };
}
