import { peekMessages } from '../../queue/operations/peek';
import { readStats } from '../../queue/operations/stats';
import { type HttpEvent, json } from '../http';
import type { Runtime } from '../runtime';
import * as schemas from './inspection-schemas';
import type { RestOperation } from './operations';
import { check } from './parse';

/** The REST operations that look at a queue without changing it: statistics and peek. */
const refOf = (event: HttpEvent, runtime: Runtime) => ({
  account: runtime.account,
  region: runtime.region,
  name: event.pathParameters?.name ?? '',
});

const iso = (ms: number) => new Date(ms).toISOString();

export const inspectionOperations: Record<string, RestOperation> = {
  queueStats: async (event, runtime) => {
    const query = check(schemas.statsQuery, event.queryStringParameters ?? {});
    const ref = refOf(event, runtime);
    const minutes = await readStats(runtime.queue, ref, query);
    return json(200, {
      name: ref.name,
      minutes: minutes.map(({ minute, depth, ...counts }) => ({
        minute: iso(minute),
        ...counts,
        ...(depth ?? {}),
      })),
    });
  },

  peekMessages: async (event, runtime) => {
    const query = check(schemas.peekQuery, event.queryStringParameters ?? {});
    const peeked = await peekMessages(runtime.queue, refOf(event, runtime), query);
    return json(200, {
      messages: peeked.map(({ message, state }) => ({
        messageId: message.id,
        body: message.body,
        attributes: message.attributes,
        sentAt: iso(message.sentAt),
        receiveCount: message.receiveCount,
        state,
        visibleAt: iso(message.visibleAt),
        ...(message.groupId === undefined ? {} : { groupId: message.groupId }),
        ...(message.sequenceNumber === undefined ? {} : { sequenceNumber: message.sequenceNumber }),
      })),
    });
  },
};
