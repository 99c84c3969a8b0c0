import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { QueueError } from '../queue/errors';

/** The HTTP event every handler receives: API Gateway HTTP API payload 2.0, locally and on AWS. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The raw body of an event as text (API Gateway base64-encodes bodies it deems binary). */
export function bodyText(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? utf8(Buffer.from(event.body, 'base64'), 'The request body') : event.body;
}

/**
 * The one place request bytes become text: a fatal decoder, because the lenient one turns bytes
 * that are not UTF-8 into U+FFFD, and the service would then store and acknowledge a body other
 * than the one sent (with the MD5 of the altered text).
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new QueueError(
      'InvalidMessageContents',
      `${what} is not valid UTF-8: send text encoded as UTF-8 (binary data as base64, for instance)`,
    );
  }
}

/**
 * Name-value pairs of an application/x-www-form-urlencoded text (a form body or a query string),
 * as URLSearchParams reads them, except that percent-encoded bytes must form UTF-8.
 */
export function formPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? '' : pair.slice(at + 1);
    pairs.push([formDecode(name), formDecode(value)]);
  }
  return pairs;
}

function formDecode(text: string): string {
  const plain = text.replace(/\+/g, ' ');
  if (!plain.includes('%')) return plain;
  // Runs of %XX become bytes; anything else (a stray % included) stays as it is, as URLSearchParams does.
  const chunks = plain
    .split(/((?:%[0-9A-Fa-f]{2})+)/)
    .map((run, i) => (i % 2 === 1 ? Buffer.from(run.replace(/%/g, ''), 'hex') : Buffer.from(run, 'utf8')));
  return utf8(Buffer.concat(chunks), 'A form parameter');
}

export function json(statusCode: number, body: unknown, contentType = 'application/json'): HttpResult {
  return { statusCode, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

export const noContent = (): HttpResult => ({ statusCode: 204 });
