import { problemOf, QueueApiError } from './errors';
import type { RequestSigner } from './signing';

export type Query = Record<string, string | number | boolean | undefined>;

export interface TransportOptions {
  /** The API's base URL (QueueService.apiUrl, or http://localhost:8080 locally); a stage path is kept. */
  endpoint: string;
  signer?: RequestSigner;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned (a long poll adds its wait). @default 30000 */
  timeoutMs?: number;
}

/**
 * JSON over fetch: builds the URL under the endpoint, signs when a signer is given, and turns any
 * failure into a QueueApiError carrying the problem details.
 */
export class Transport {
  readonly endpoint: string;

  constructor(private readonly options: TransportOptions) {
    this.endpoint = options.endpoint;
  }

  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Query; extraMs?: number } = {},
  ): Promise<T> {
    const url = new URL(this.endpoint);
    // The endpoint may carry a stage path (…/prod): keep it in front of the route.
    url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
    url.search = '';
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    // URLSearchParams writes a space as `+`, which SigV4 canonicalises (and the service verifies)
    // as a literal plus; send `%20`, the form that is signed. A real `+` is already `%2B` here.
    url.search = url.searchParams.toString().replace(/\+/g, '%20');
    const text = options.body === undefined ? undefined : JSON.stringify(options.body);
    let headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    };
    if (this.options.signer) headers = await this.options.signer({ method, url, headers, body: text });
    const fetcher = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetcher(url, {
        method,
        headers,
        ...(text === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout((this.options.timeoutMs ?? 30_000) + (options.extraMs ?? 0)),
      });
    } catch (error) {
      const reason =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
      throw new QueueApiError(
        {
          status: 0,
          title: 'Unreachable',
          detail: `no answer from ${this.endpoint}${reason ? ` (${reason})` : ''}`,
        },
        { cause: error },
      );
    }
    const raw = await response.text();
    const parsed = parseJson(raw);
    if (response.ok) return parsed as T;
    throw new QueueApiError(problemOf(response.status, response.statusText, parsed, raw));
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
