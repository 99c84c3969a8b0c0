import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The HTTP event every handler receives: API Gateway HTTP API payload 2.0, locally and on AWS. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The raw body of an event as text (API Gateway base64-encodes bodies it deems binary). */
export function bodyText(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function json(statusCode: number, body: unknown, contentType = 'application/json'): HttpResult {
  return { statusCode, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

export const noContent = (): HttpResult => ({ statusCode: 204 });
