import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Invoker } from './targets';

/**
 * Deployed Lambda targets: a synchronous Invoke with the event. A function error (the handler
 * threw) fails the batch, as it does under Lambda's own event source mapping.
 */
export function lambdaInvoker(): Invoker {
  // Loaded on first use: most functions never invoke one, and cold starts grow with what loads.
  let client: LambdaClient | undefined;
  return async (functionArn, event, timeoutMs) => {
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    client ??= new LambdaClient({});
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
      { abortSignal: AbortSignal.timeout(timeoutMs) },
    );
    if (out.FunctionError) throw new Error(`the function failed (${out.FunctionError})`);
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (text.trim() === '' || text === 'null') return undefined;
    return JSON.parse(text);
  };
}
