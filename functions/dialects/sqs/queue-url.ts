import { QueueError } from '../../queue/errors';
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

/** The account and queue name in a queue URL (or a bare `/<account>/<name>` path). */
export function parseQueueUrl(url: string): { account: string; name: string } {
  let path: string;
  try {
    path = new URL(url, 'http://placeholder').pathname;
  } catch {
    throw invalidAddress(url);
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length < 2) throw invalidAddress(url);
  const [account, name] = segments.slice(-2).map((segment) => safeDecode(segment)) as [string, string];
  return { account, name };
}

export function parseQueueArn(arn: string): QueueRef | undefined {
  const match = /^arn:aws[\w-]*:sqs:([a-z0-9-]+):(\d{12}|[^:]+):([^:]+)$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, account: match[2]!, name: match[3]! };
}

function invalidAddress(url: string): QueueError {
  return new QueueError(
    'InvalidAddress',
    `The address ${url} is not valid for this endpoint: a queue URL looks like <endpoint>/<account-id>/<queue-name>`,
    { field: 'QueueUrl', given: url },
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
