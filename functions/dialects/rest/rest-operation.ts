import type { QueueRef } from '../../queue/model';
import type { HttpEvent, HttpResult } from '../http';
import type { Runtime } from '../runtime';

/**
 * One REST operation, by the name the route table gives it: decode the request, call one queue
 * operation, shape the reply. Its own file so that the files defining operations and the one
 * gathering them (operations.ts) do not import each other.
 */
export type RestOperation = (event: HttpEvent, runtime: Runtime) => Promise<HttpResult>;

/** The queue a `/queues/{name}/...` route names, in the caller's account and region. */
export const refOf = (event: HttpEvent, runtime: Runtime): QueueRef => ({
  account: runtime.account,
  region: runtime.region,
  name: event.pathParameters?.name ?? '',
});
