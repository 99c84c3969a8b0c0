import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../sqs/signing';

/**
 * HTTP requests signed with SigV4, by default the way API Gateway's IAM authorizer expects (SigV4, service
 * `execute-api`), with knobs for the cases a well-behaved client never produces: another
 * service or region in the scope, an old signing date, a body swapped after signing.
 */
export interface RestRequest {
  method: string;
  /** Path and query, e.g. `/queues?limit=5`. */
  path: string;
  /** JSON unless a string; a string is sent as is. */
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
}

export interface SigningOptions {
  credentials: Credentials;
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Replaces the body after signing. */
  tamperedBody?: string;
}

const bodyText = (body: unknown) =>
  body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);

/** The fetch arguments of a signed request to `<endpoint><path>`. */
export async function signedRest(
  endpoint: string,
  request: RestRequest,
  options: SigningOptions,
): Promise<[string, RequestInit]> {
  const url = new URL(request.path, endpoint);
  const body = bodyText(request.body);
  const headers: Record<string, string> = {
    host: url.host,
    ...(body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
  };
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region ?? 'us-east-1',
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(body === undefined ? {} : { body }),
    },
    { signingDate: options.signingDate ?? new Date() },
  );
  const { host: _host, ...sent } = signed.headers;
  const sentBody = options.tamperedBody ?? body;
  return [
    url.toString(),
    { method: request.method, headers: sent, ...(sentBody === undefined ? {} : { body: sentBody }) },
  ];
}

/** Sends a signed request; returns status, content type and parsed JSON (or text). */
export async function signedRestCall(endpoint: string, request: RestRequest, options: SigningOptions) {
  const response = await fetch(...(await signedRest(endpoint, request, options)));
  return readResponse(response);
}

export async function readResponse(response: Response) {
  const text = await response.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the text serves the assertion message
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
}
