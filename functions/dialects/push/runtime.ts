import type { PushContext } from '../../push/context';
import type { HttpEvent, HttpResult } from '../http';
import type { Runtime } from '../runtime';

/**
 * What the consumer routes and the dispatcher need: the runtime every function has, plus push
 * delivery's context. Kept apart from Runtime so that functions without push delivery do not
 * bundle its code (functions/handlers/push-runtime.ts builds it).
 */
export interface PushRuntime extends Runtime {
  push: PushContext;
}

/** A REST operation of the consumers function. */
export type PushRestOperation = (event: HttpEvent, runtime: PushRuntime) => Promise<HttpResult>;
