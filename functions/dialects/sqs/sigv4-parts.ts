import { QueueError } from '../../queue/errors';
import type { HttpEvent } from '../http';

/**
 * What a SigV4-signed request says about its own signature, from the Authorization header
 * (`AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=<hex>`) or from a presigned URL's X-Amz-* query
 * parameters. Only the shape is checked here; signature.ts checks the values.
 */
export interface SignatureParts {
  style: 'header' | 'query';
  accessKeyId: string;
  /** The credential scope: date (yyyymmdd), region, service, terminator. */
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date, as sent (yyyymmddThhmmssZ) and as a time. */
  amzDate: string;
  signedAt: number;
  /** Presigned URLs only: seconds the URL is valid from signedAt. */
  expiresSeconds?: number;
}

export const algorithm = 'AWS4-HMAC-SHA256';

/** Undefined when the request carries no signature at all. */
export function signatureParts(event: HttpEvent): SignatureParts | undefined {
  const authorization = event.headers?.authorization;
  if (authorization !== undefined) return fromHeader(authorization, event.headers?.['x-amz-date']);
  const query = new URLSearchParams(event.rawQueryString ?? '');
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential')) {
    return fromQuery(query);
  }
  return undefined;
}

function fromHeader(authorization: string, amzDate: string | undefined): SignatureParts {
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  if (scheme !== algorithm) {
    throw incomplete(`The Authorization header must start with ${algorithm} (SigV4).`);
  }
  const fields = new Map<string, string>();
  for (const part of rest.join(' ').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(name)) throw incomplete(`The Authorization header requires a '${name}' parameter.`);
  }
  return build(
    'header',
    fields.get('Credential')!,
    fields.get('SignedHeaders')!,
    fields.get('Signature')!,
    amzDate,
  );
}

function fromQuery(query: URLSearchParams): SignatureParts {
  if (query.get('X-Amz-Algorithm') !== algorithm) {
    throw incomplete(`X-Amz-Algorithm must be ${algorithm} in a presigned URL.`);
  }
  for (const name of [
    'X-Amz-Credential',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Date',
    'X-Amz-Expires',
  ]) {
    if (!query.get(name)) throw incomplete(`A presigned URL requires the query parameter ${name}.`);
  }
  const expires = query.get('X-Amz-Expires')!;
  if (!/^\d{1,6}$/.test(expires) || Number(expires) < 1 || Number(expires) > 604_800) {
    throw incomplete('X-Amz-Expires must be a number of seconds from 1 to 604800 (one week).');
  }
  return {
    ...build(
      'query',
      query.get('X-Amz-Credential')!,
      query.get('X-Amz-SignedHeaders')!,
      query.get('X-Amz-Signature')!,
      query.get('X-Amz-Date')!,
    ),
    expiresSeconds: Number(expires),
  };
}

function build(
  style: SignatureParts['style'],
  credential: string,
  signedHeaders: string,
  signature: string,
  amzDate: string | undefined,
): SignatureParts {
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((part) => part === '')) {
    throw incomplete(
      'The Credential must be <access key id>/<yyyymmdd>/<region>/<service>/aws4_request, but it has another form.',
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!amzDate) {
    throw incomplete('A signed request requires the X-Amz-Date header (or the X-Amz-Date query parameter).');
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    throw incomplete(
      `X-Amz-Date must be an ISO 8601 basic time such as 20240101T120000Z, but ${JSON.stringify(amzDate)} was given.`,
    );
  }
  return {
    style,
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';').map((name) => name.trim().toLowerCase()),
    signature: signature.toLowerCase(),
    amzDate,
    signedAt,
  };
}

function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  return Number.isNaN(time) ? undefined : time;
}

function incomplete(message: string): QueueError {
  return new QueueError('IncompleteSignature', message);
}
