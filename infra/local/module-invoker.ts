import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Invoker } from '../../functions/dialects/push/targets';

/**
 * Local `{"module": "<file>#<export>"}` targets: the handler is imported (a path relative to
 * where the service started) and called with the event and a small Lambda-like context, so a
 * team runs its SQS-triggered handler against the local queue. A thrown error, or no answer within
 * the delivery's time, fails the batch.
 */
export function moduleInvoker(baseDir = process.cwd()): Invoker {
  return async (target, event, timeoutMs) => {
    const hash = target.lastIndexOf('#');
    const file = target.slice(0, hash);
    const name = target.slice(hash + 1);
    const module = (await import(
      pathToFileURL(isAbsolute(file) ? file : resolve(baseDir, file)).href
    )) as Record<string, unknown>;
    const handler = module[name];
    if (typeof handler !== 'function') throw new Error(`${target} is not an exported function`);
    const deadline = Date.now() + timeoutMs;
    const context = {
      functionName: name,
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        Promise.resolve(handler(event, context)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the handler timed out')), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}
