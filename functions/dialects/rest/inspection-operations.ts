import { peekMessages } from '../../queue/operations/peek';
import { readStats } from '../../queue/operations/stats';
import { json } from '../http';
import * as schemas from './inspection-schemas';
import { check } from './parse';
import { peekedRepresentation } from './representations';
import { type RestOperation, refOf } from './rest-operation';

/** The REST operations that look at a queue without changing it: statistics and peek. */
export const inspectionOperations: Record<string, RestOperation> = {
  queueStats: async (event, runtime) => {
    const query = check(schemas.statsQuery, event.queryStringParameters ?? {});
    const ref = refOf(event, runtime);
    const minutes = await readStats(runtime.queue, ref, query);
    return json(200, {
      name: ref.name,
      minutes: minutes.map(({ minute, depth, sent, received, deleted, deadLettered, redriven }) => ({
        minute: new Date(minute).toISOString(),
        sent,
        received,
        deleted,
        deadLettered,
        redriven,
        ...(depth ? { visible: depth.visible, inFlight: depth.inFlight, delayed: depth.delayed } : {}),
      })),
    });
  },

  peekMessages: async (event, runtime) => {
    const query = check(schemas.peekQuery, event.queryStringParameters ?? {});
    const peeked = await peekMessages(runtime.queue, refOf(event, runtime), query);
    return json(200, { messages: peeked.map(peekedRepresentation) });
  },
};
