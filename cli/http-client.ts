import { type Problem, refusal, serviceFailure, unreachable } from './errors';
import type { Signer } from './signing';

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * The REST dialect over fetch: JSON in and out, problem bodies turned into errors that carry the
 * exit status, and every request signed when a signer is configured.
 */
export class RestClient {
  constructor(
    readonly endpoint: string,
    private readonly signer?: Signer,
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
    const url = new URL(path, this.endpoint.endsWith('/') ? this.endpoint : `${this.endpoint}/`);
    // The endpoint may carry a stage path (…/prod): keep it in front of the route.
    url.pathname = `${new URL(this.endpoint).pathname.replace(/\/$/, '')}${path}`;
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    // URLSearchParams writes a space as `+`, which SigV4 canonicalises (and the service verifies)
    // as a literal plus; send `%20`, the form that is signed. A real `+` is already `%2B` here.
    url.search = url.searchParams.toString().replace(/\+/g, '%20');
    const text = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    };
    if (this.signer) headers = await this.signer.sign({ method, url, headers, body: text });
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(text === undefined ? {} : { body: text }) });
    } catch (error) {
      throw unreachable(this.endpoint, error);
    }
    const raw = await response.text();
    const parsed = parseJson(raw);
    if (response.ok) return parsed as T;
    const problem = isProblem(parsed) ? parsed : undefined;
    if (response.status >= 500) throw serviceFailure(response.status, problem);
    throw refusal(response.status, problem, raw);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Problem bodies, and API Gateway's own `{"message": "Forbidden"}` read as one. */
function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  if (typeof body.message === 'string' && body.title === undefined) {
    body.title = body.message;
  }
  return typeof body.title === 'string';
}

export const queuePath = (name: string) => `/queues/${encodeURIComponent(name)}`;
export const topicPath = (name: string) => `/topics/${encodeURIComponent(name)}`;
