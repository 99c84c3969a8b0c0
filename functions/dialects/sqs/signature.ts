import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { QueueError } from '../../queue/errors';
import type { HttpEvent } from '../http';
import type { AccessKeyCache } from './access-key-cache';
import { type Caller, callerOf } from './caller';
import { type SignatureParts, signatureParts } from './sigv4-parts';

/**
 * SigV4 verification against the service's own access keys, for the service name a route expects:
 * `sqs` for the SQS routes (always, deployed and locally), `execute-api` for the REST routes on the
 * local host (deployed, API Gateway's IAM authorizer checks those). The signature a client would
 * have computed is recomputed with @smithy/signature-v4 (over exactly the headers the client says
 * it signed) with the stored secret, and compared in constant time.
 *
 * `required`: every request must be signed with an active key (deployed: SQS_AUTH=required).
 * `when-keys-exist`: the local default; any (or no) signature is accepted until the first key is
 * created, and from then on requests are verified exactly as when required, until authentication
 * is turned off explicitly (npm run keys -- auth off); revoking keys never turns it off. A revoked
 * key is refused even while authentication is off.
 */
export type SqsAuthMode = 'required' | 'when-keys-exist';

/** How far a signed time may be from the service's clock, as in AWS. */
export const clockSkewMs = 15 * 60_000;

export interface AuthenticationContext {
  keys: AccessKeyCache;
  mode: SqsAuthMode;
  now: () => number;
  /** The signing service the credential scope must name: `sqs` or `execute-api`. */
  service: string;
  /**
   * The region the scope must name, when the endpoint has one (API Gateway's). Unset for SQS,
   * where the signed region chooses where the caller's queues live.
   */
  region?: string;
}

export async function authenticate(event: HttpEvent, context: AuthenticationContext): Promise<Caller> {
  const required = context.mode === 'required' || (await context.keys.authenticationRequired());
  if (!required) {
    await refuseRevokedKey(event, context.keys);
    return callerOf(event);
  }
  const parts = signatureParts(event);
  if (!parts) {
    throw new QueueError(
      'MissingAuthenticationToken',
      `Request is missing Authentication Token: sign it with SigV4 for service ${context.service}, using an access key of this service (npm run keys -- create).`,
    );
  }
  checkScope(parts, context);
  checkTime(parts, context.now());
  const key = await context.keys.activeKey(parts.accessKeyId);
  if (!key) {
    throw new QueueError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  const body = bodyBytes(event);
  checkPayloadHash(event, parts, body);
  const expected = await expectedSignature(event, parts, key.secretAccessKey, body, context.service);
  if (!sameHex(expected, parts.signature)) {
    throw new QueueError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { region: parts.region, accessKeyId: key.accessKeyId, account: key.accountId };
}

/**
 * With authentication off, any signature (or none) passes, so that SDKs configured with made-up
 * credentials work locally; but a key this service revoked is refused always: whoever still signs
 * with it was meant to be shut out.
 */
async function refuseRevokedKey(event: HttpEvent, keys: AccessKeyCache): Promise<void> {
  let parts: SignatureParts | undefined;
  try {
    parts = signatureParts(event);
  } catch {
    return; // not a signature this service could have issued a key for
  }
  if (parts && (await keys.isRevoked(parts.accessKeyId))) {
    throw new QueueError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
}

function checkScope(parts: SignatureParts, context: AuthenticationContext): void {
  const problem =
    parts.service !== context.service
      ? `Credential should be scoped to correct service: '${context.service}', not '${parts.service}'.`
      : parts.terminator !== 'aws4_request'
        ? "Credential should be scoped with a valid terminator: 'aws4_request'."
        : !/^[a-z0-9-]{1,40}$/.test(parts.region)
          ? 'Credential should be scoped to a valid region.'
          : context.region !== undefined && parts.region !== context.region
            ? `Credential should be scoped to a valid region, not '${parts.region}': this endpoint is in '${context.region}'.`
            : parts.scopeDate !== parts.amzDate.slice(0, 8)
              ? `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.scopeDate}' != '${parts.amzDate.slice(0, 8)}'.`
              : undefined;
  if (problem) throw new QueueError('SignatureDoesNotMatch', problem);
}

/**
 * A header-signed request must be signed within 15 minutes of now (SQS answers
 * SignatureDoesNotMatch, which SDKs treat as clock skew and correct from the Date header); a
 * presigned URL is good from its date until its expiry.
 */
function checkTime(parts: SignatureParts, now: number): void {
  const stamp = (time: number) => new Date(time).toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (parts.signedAt > now + clockSkewMs) {
    throw new QueueError(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${parts.amzDate} is still later than ${stamp(now + clockSkewMs)} (${stamp(now)} + 15 min.)`,
    );
  }
  if (parts.style === 'query') {
    if (now > parts.signedAt + parts.expiresSeconds! * 1000) {
      throw new QueueError(
        'RequestExpired',
        `Request has expired: the presigned URL expired at ${stamp(parts.signedAt + parts.expiresSeconds! * 1000)}.`,
      );
    }
  } else if (parts.signedAt < now - clockSkewMs) {
    throw new QueueError(
      'SignatureDoesNotMatch',
      `Signature expired: ${parts.amzDate} is now earlier than ${stamp(now - clockSkewMs)} (${stamp(now)} - 15 min.)`,
    );
  }
}

function bodyBytes(event: HttpEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/**
 * A client may send the payload's hash in x-amz-content-sha256; the signature covers that value,
 * so it must be the hash of the body actually received, or the body could be swapped.
 */
function checkPayloadHash(event: HttpEvent, parts: SignatureParts, body: Buffer): void {
  const declared = event.headers?.['x-amz-content-sha256'];
  if (declared === undefined || !parts.signedHeaders.includes('x-amz-content-sha256')) return;
  if (declared.toLowerCase() !== createHash('sha256').update(body).digest('hex')) {
    throw new QueueError(
      'SignatureDoesNotMatch',
      'The x-amz-content-sha256 header does not match the request body: requests must sign their payload.',
    );
  }
}

type SignableRequest = Parameters<SignatureV4['presign']>[0];

async function expectedSignature(
  event: HttpEvent,
  parts: SignatureParts,
  secretAccessKey: string,
  body: Buffer,
  service: string,
): Promise<string> {
  const signer = new SignatureV4({
    service,
    region: parts.region,
    credentials: { accessKeyId: parts.accessKeyId, secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    // Add nothing the client did not sign (the SDK would add x-amz-content-sha256).
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = event.headers?.[name];
    if (value !== undefined) headers[name] = value;
  }
  const request: SignableRequest = {
    method: event.requestContext.http.method,
    protocol: 'https:',
    hostname: event.headers?.host ?? '',
    path: event.rawPath || '/',
    query: queryOf(event.rawQueryString ?? ''),
    headers,
    ...(body.length > 0 ? { body } : {}),
  };
  const options = {
    signingDate: new Date(parts.signedAt),
    signingRegion: parts.region,
    signingService: service,
    signableHeaders: new Set(parts.signedHeaders),
  };
  if (parts.style === 'query') {
    const presigned = await signer.presign(request, {
      ...options,
      expiresIn: parts.expiresSeconds!,
      // Headers the client signed stay headers (presign would move x-amz-* ones to the query).
      unhoistableHeaders: new Set(parts.signedHeaders),
    });
    return String(presigned.query?.['X-Amz-Signature'] ?? '');
  }
  const signed = await signer.sign(request, options);
  return /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? '')?.[1] ?? '';
}

/**
 * The query as signed: values percent-decoded (the signer encodes them again, RFC 3986), a `+`
 * kept as a plus (SigV4 clients encode spaces as %20), repeated names as lists.
 */
function queryOf(raw: string): Record<string, string | string[]> {
  // No prototype: a parameter named __proto__ is just a parameter.
  const query: Record<string, string | string[]> = Object.create(null);
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decode(at < 0 ? pair : pair.slice(0, at));
    const value = at < 0 ? '' : decode(pair.slice(at + 1));
    const existing = query[name];
    query[name] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
