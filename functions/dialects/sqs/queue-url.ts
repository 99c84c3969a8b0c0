import type { QueueRef } from '../../queue/model';
import type { HttpEvent } from '../http';

/**
 * Queue URLs (`<scheme>://<host>/<account>/<name>`) and ARNs (`arn:aws:sqs:<region>:<account>:<name>`).
 * A URL names the account but not the region: the region comes from the request's signature.
 */
export function baseUrlOf(event: HttpEvent): string {
  // API Gateway terminates TLS and says so in x-forwarded-proto; the local host serves plain HTTP.
  const scheme = event.headers?.['x-forwarded-proto']?.split(',')[0]?.trim() || 'http';
  const host = event.headers?.host ?? event.requestContext.domainName;
  return `${scheme}://${host}`;
}

export const queueUrl = (baseUrl: string, ref: QueueRef) => `${baseUrl}/${ref.account}/${ref.name}`;

export const queueArn = (ref: QueueRef) => `arn:aws:sqs:${ref.region}:${ref.account}:${ref.name}`;

/**
 * The account and queue name in a queue URL (or a bare `/<account>/<name>` path). As in SQS, a
 * QueueUrl that is just a queue name names that queue in the caller's account (no account
 * here); anything else without `/<account>/<name>` names no queue (undefined).
 */
export function parseQueueUrl(url: string): { account?: string; name: string } | undefined {
  if (bareName.test(url)) return { name: url };
  let path: string;
  try {
    path = new URL(url, 'http://placeholder').pathname;
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length < 2) return undefined;
  const [account, name] = segments.slice(-2).map((segment) => safeDecode(segment)) as [string, string];
  return { account, name };
}

const bareName = /^[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;

export function parseQueueArn(arn: string): QueueRef | undefined {
  const match = /^arn:aws[\w-]*:sqs:([a-z0-9-]+):(\d{12}|[^:]+):([^:]+)$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, account: match[2]!, name: match[3]! };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
