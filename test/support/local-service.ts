import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { tableNames } from '../../functions/store/table-layout';
import { type LocalService, type LocalServiceOptions, startLocalService } from '../../infra/local/service';

/** Starts the local service (the deployed handlers behind a local HTTP host) for one test file. */
export function useLocalService(options: Partial<LocalServiceOptions> = {}): {
  service: () => LocalService;
  url: () => string;
} {
  let service: LocalService | undefined;
  beforeAll(async () => {
    service = await startLocalService({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tables: tableNames(`t${randomBytes(4).toString('hex')}-`),
      ...options,
    });
  });
  afterAll(async () => {
    await service?.close();
  });
  return { service: () => service!, url: () => service!.url };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A tiny JSON client: sends `body` as is when it is a string, else as JSON. */
export async function call(url: string, method: string, path: string, body?: unknown): Promise<JsonResponse> {
  const response = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
