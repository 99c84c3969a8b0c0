import type { ConsumerRecord } from '../../push/model';
import type { PushTargets } from '../../push/port';
import type { ReceivedMessage } from '../../queue/model';
import { postEvent } from './http-target';
import { lambdaSqsEvent, type SqsEvent } from './lambda-event';

/** Calls a Lambda function (deployed) or a handler module (local service) with the event. */
export type Invoker = (target: string, event: SqsEvent, timeoutMs: number) => Promise<unknown>;

/**
 * The targets of push delivery: HTTP endpoints here, Lambda functions and local handler modules
 * through the invokers the host gives (handlers/ wires Lambda's Invoke, infra/local a module loader).
 */
export function pushTargets(invokers: { lambda?: Invoker; module?: Invoker }): PushTargets {
  return {
    async deliver(consumer: ConsumerRecord, messages: ReceivedMessage[], timeoutMs: number) {
      const event = lambdaSqsEvent(consumer.queue, messages);
      const target = consumer.target;
      if ('url' in target) return postEvent(target.url, consumer.secret ?? '', event, timeoutMs);
      if ('functionArn' in target) {
        if (!invokers.lambda) throw new Error('Lambda targets are not available here');
        return invokers.lambda(target.functionArn, event, timeoutMs);
      }
      if (!invokers.module) throw new Error('module targets are for the local service only');
      return invokers.module(target.module, event, timeoutMs);
    },
  };
}
