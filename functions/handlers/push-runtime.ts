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
 * other functions' bundles carry no push code. Environment, beside the runtime's:
 *   PUSH_FUNCTION_ARNS   the Lambda functions consumers may target (ARN patterns, comma-separated)
 */
let pushRuntime: Promise<PushRuntime> | undefined;

export function getPushRuntime(): Promise<PushRuntime> {
  pushRuntime ??= getRuntime().then((runtime) =>
    withPush(runtime, {
      client: createDynamoClient(process.env),
      messagesTable: process.env.MESSAGES_TABLE ?? tableNames().messages,
      allowedFunctionArns: (process.env.PUSH_FUNCTION_ARNS ?? '').split(',').filter((arn) => arn !== ''),
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
    /** Deployed: the Lambda functions the dispatcher may invoke (PUSH_FUNCTION_ARNS, comma-separated). */
    allowedFunctionArns?: string[];
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
    ...(options.allowedFunctionArns ? { allowedFunctionArns: options.allowedFunctionArns } : {}),
  });
  // The runtime's own properties as they are (its topics are a getter made on first use, which a
  // spread would call), plus push.
  const pushRuntime = Object.defineProperties({}, Object.getOwnPropertyDescriptors(runtime)) as Runtime;
  return Object.assign(pushRuntime, { push });
}
