/**
 * AWS Signature Version 4 for the browser, on WebCrypto: the console signs every API call for
 * service `execute-api` (API Gateway's IAM authorization, and the local host's check of it).
 * Follows @smithy/signature-v4's defaults (path normalised and encoded twice, RFC 3986 query),
 * and test/console/sigv4.test.ts holds it to that library's output for the same request.
 */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  /** Extra headers to sign (lower-case names); `host` comes from the URL. */
  headers?: Record<string, string>;
  body?: string;
}

export interface SigningOptions {
  credentials: SigningCredentials;
  region: string;
  service: string;
  date: Date;
}

const encoder = new TextEncoder();

/** The headers to send with the request: x-amz-date, the session token if any, authorization. */
export async function signRequest(
  request: RequestToSign,
  options: SigningOptions,
): Promise<Record<string, string>> {
  const longDate = options.date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const shortDate = longDate.slice(0, 8);
  const added: Record<string, string> = { 'x-amz-date': longDate };
  if (options.credentials.sessionToken) added['x-amz-security-token'] = options.credentials.sessionToken;
  const headers: Record<string, string> = { ...request.headers, host: request.url.host, ...added };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((name) => `${name}:${canonicalValue(headers[name] ?? '')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname),
    canonicalQuery(request.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    await sha256Hex(request.body ?? ''),
  ].join('\n');
  const scope = `${shortDate}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, scope, await sha256Hex(canonicalRequest)].join('\n');
  let key: ArrayBuffer = encoder.encode(`AWS4${options.credentials.secretAccessKey}`).buffer as ArrayBuffer;
  for (const part of [shortDate, options.region, options.service, 'aws4_request'])
    key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));
  return {
    ...added,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** RFC 3986 encoding: encodeURIComponent leaves !'()* alone, SigV4 does not. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Dot segments resolved, empty ones dropped, then the (already encoded) path encoded again. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

function canonicalQuery(params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) {
    const key = escapeUri(name);
    byName.set(key, [...(byName.get(key) ?? []), `${key}=${escapeUri(value)}`]);
  }
  return [...byName.keys()]
    .sort()
    .map((key) => byName.get(key)!.sort().join('&'))
    .join('&');
}

const canonicalValue = (value: string) =>
  value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();

async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key: ArrayBuffer, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data));
}

const hex = (buffer: ArrayBuffer) =>
  [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
