import type { HttpEvent } from '../http';

/**
 * Who is calling and in which region, read from the SigV4 credential scope
 * (`Credential=<key>/<date>/<region>/sqs/aws4_request`) in the Authorization header or, for a
 * presigned request, the X-Amz-Credential query parameter. The signature itself is not checked
 * here: this is what an unverified request is taken to say (see signature.ts for verification).
 */
export interface Caller {
  /** The region the request was signed for: queues live in it. Undefined when unsigned. */
  region?: string;
  accessKeyId?: string;
  /** The account of a verified access key: the caller's queues are that account's. */
  account?: string;
}

export function callerOf(event: HttpEvent): Caller {
  const authorization = event.headers?.authorization ?? '';
  const fromHeader = /Credential=([^,\s]+)/.exec(authorization)?.[1];
  const scope = fromHeader ?? event.queryStringParameters?.['X-Amz-Credential'];
  if (!scope) return {};
  const [accessKeyId, , region] = scope.split('/');
  return {
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(region && /^[a-z0-9-]{1,40}$/.test(region) ? { region } : {}),
  };
}
