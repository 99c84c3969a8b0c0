import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionInvoker } from '../../topics/port';

/**
 * Lambda subscribers, deployed: an asynchronous Invoke (InvocationType Event), as SNS makes; the
 * client is loaded on first use, so functions that never invoke one do not pay for it. The
 * service's role may invoke only the functions the stack names (pushFunctionArns).
 */
export function lambdaFunctions(): FunctionInvoker {
  let client: LambdaClient | undefined;
  return {
    async invokeAsync(functionArn, payload) {
      const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
      client ??= new LambdaClient({});
      await client.send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'Event',
          Payload: Buffer.from(payload),
        }),
      );
    },
  };
}
