import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lambdaInvoker } from '../dialects/push/lambda-invoker';
import type { PushRuntime } from '../dialects/push/runtime';
import { type Invoker, pushTargets } from '../dialects/push/targets';
import type { Runtime } from '../dialects/runtime';
import { createPushContext } from '../push/context';
import { createDynamoClient } from '../store/client';
import { DynamoConsumerStore } from '../store/consumer-store';
import { tableNames } from '../store/table-layout';
import { getRuntime } from './runtime';

/**
 * The runtime of the functions that push (the consumers routes, the dispatcher): the container's
 * runtime plus push delivery's context, built on first use. Only they import this file, so the
 * other functions' bundles carry no push code.
 */
let pushRuntime: Promise<PushRuntime> | undefined;

export function getPushRuntime(): Promise<PushRuntime> {
  pushRuntime ??= getRuntime().then((runtime) =>
    withPush(runtime, {
      client: createDynamoClient(process.env),
      messagesTable: process.env.MESSAGES_TABLE ?? tableNames().messages,
    }),
  );
  return pushRuntime;
}

/** The local host and tests set their own (DynamoDB Local, module targets). */
export function setPushRuntime(value: PushRuntime): void {
  pushRuntime = Promise.resolve(value);
}

export function withPush(
  runtime: Runtime,
  options: {
    client: DynamoDBClient;
    messagesTable: string;
    /** The local service: module targets and http URLs for push consumers, invoked by this. */
    localModules?: Invoker;
  },
): PushRuntime {
  const push = createPushContext({
    store: new DynamoConsumerStore({ client: options.client, table: options.messagesTable }),
    queue: runtime.queue,
    targets: pushTargets({
      lambda: lambdaInvoker(),
      ...(options.localModules ? { module: options.localModules } : {}),
    }),
    local: options.localModules !== undefined,
  });
  return { ...runtime, push };
}
