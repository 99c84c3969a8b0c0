import type { Clock } from '../queue/clock';
import type { QueueContext } from '../queue/context';
import type { ConsumerStore, PushTargets } from './port';

/** What push delivery needs: its storage, the queue it reads from, the targets, time and its rules. */
export interface PushContext {
  store: ConsumerStore;
  /** Deliveries are receives and deletes through the queue's own operations. */
  queue: QueueContext;
  targets: PushTargets;
  clock: Clock;
  /** The local service only: `{"module": ...}` targets, and `http:` URLs (deployed: https only). */
  local: boolean;
  /**
   * Deployed: the function ARN patterns the dispatcher may invoke (IAM-style `*` and `?`); a
   * functionArn target outside them is refused. Undefined (local service): any.
   */
  allowedFunctionArns?: string[];
  /** Per process: consumers whose target keeps failing wait until the time here (backoff). */
  backoff: Map<string, { failures: number; until: number }>;
}

export function createPushContext(options: {
  store: ConsumerStore;
  queue: QueueContext;
  targets: PushTargets;
  local?: boolean;
  allowedFunctionArns?: string[];
}): PushContext {
  return {
    store: options.store,
    queue: options.queue,
    targets: options.targets,
    clock: options.queue.clock,
    local: options.local ?? false,
    ...(options.allowedFunctionArns ? { allowedFunctionArns: options.allowedFunctionArns } : {}),
    backoff: new Map(),
  };
}
