import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Requests signed by hand with @smithy/signature-v4, for the cases an SDK will not produce:
 * a fixed signing date, a body changed after signing, a presigned URL.
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

type Request = Parameters<SignatureV4['presign']>[0];

const signer = (credentials: Credentials, region: string, service = 'sqs') =>
  new SignatureV4({ service, region, credentials, sha256: Hash.bind(null, 'sha256') });

function requestFor(url: URL, method: string, headers: Record<string, string>, body?: string): Request {
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...headers },
    ...(body === undefined ? {} : { body }),
  };
}

export interface SignedCall {
  target: string;
  body: string;
  credentials: Credentials;
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Changes the body after signing. */
  tamper?: (body: string) => string;
  extraHeaders?: Record<string, string>;
}

/** An AWS JSON 1.0 SQS call to `<endpoint>/`, signed with a header; returns status, headers, JSON. */
export async function signedJsonCall(endpoint: string, call: SignedCall) {
  const url = new URL(`${endpoint}/`);
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `AmazonSQS.${call.target}`,
    ...call.extraHeaders,
  };
  const signed = await signer(call.credentials, call.region ?? 'us-east-1', call.service).sign(
    requestFor(url, 'POST', headers, call.body),
    { signingDate: call.signingDate ?? new Date() },
  );
  const { host: _host, ...sent } = signed.headers;
  const response = await fetch(url, {
    method: 'POST',
    headers: sent,
    body: call.tamper ? call.tamper(call.body) : call.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** A presigned GET URL for a Query-protocol call (the parameters in the query string). */
export async function presignedUrl(
  endpoint: string,
  params: Record<string, string>,
  credentials: Credentials,
  options: { expiresIn?: number; signingDate?: Date; region?: string } = {},
): Promise<string> {
  const url = new URL(`${endpoint}/?${new URLSearchParams({ Version: '2012-11-05', ...params })}`);
  const presigned = await signer(credentials, options.region ?? 'us-east-1').presign(
    requestFor(url, 'GET', {}),
    {
      expiresIn: options.expiresIn ?? 300,
      signingDate: options.signingDate ?? new Date(),
    },
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(presigned.query ?? {})) {
    for (const item of [value ?? ''].flat()) query.append(name, item);
  }
  // RFC 3986 encoding, as SigV4 clients send it (URLSearchParams writes spaces as +).
  return `${endpoint}/?${query.toString().replace(/\+/g, '%20')}`;
}
