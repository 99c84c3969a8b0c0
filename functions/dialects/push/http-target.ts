import { createHmac } from 'node:crypto';
import type { SqsEvent } from './lambda-event';

/**
 * An HTTP target gets a POST of the JSON event with a signature header,
 * `x-queue-signature: t=<unix ms>,v1=<hex HMAC-SHA-256 of "<t>.<body>" under the consumer's secret>`,
 * so it can tell our deliveries from anyone else's and refuse old replays (README: "Push delivery").
 * A 2xx answer is success; its body, when JSON, is read for batchItemFailures.
 */
export const signatureHeader = 'x-queue-signature';

export function signature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export async function postEvent(
  url: string,
  secret: string,
  event: SqsEvent,
  timeoutMs: number,
): Promise<unknown> {
  const body = JSON.stringify(event);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [signatureHeader]: signature(secret, Date.now(), body),
      'user-agent': 'dynamo-queue-push',
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`the target answered HTTP ${response.status}`);
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: with reportBatchItemFailures Lambda counts an unreadable answer as a failed batch.
    return { batchItemFailures: 'unreadable answer' };
  }
}
