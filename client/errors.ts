import type { ProblemDetails } from '../functions/dialects/rest/client-types';

/**
 * A call the service refused (4xx) or failed (5xx), or that never got an answer (status 0). It
 * carries the API's problem details: `code` is the SQS error code (`QueueDoesNotExist`,
 * `InvalidParameterValue`, ...) and `field` names the request field that was refused.
 */
export class QueueApiError extends Error {
  override readonly name = 'QueueApiError';

  constructor(
    readonly problem: ProblemDetails,
    options?: { cause?: unknown },
  ) {
    super(
      [problem.title ?? `HTTP ${problem.status}`, problem.detail].filter(Boolean).join(': '),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
  }

  /** The HTTP status; 0 when the service could not be reached. */
  get status(): number {
    return this.problem.status;
  }

  /** The SQS error code the service gave, when it gave one. */
  get code(): string | undefined {
    return this.problem.code;
  }

  /** Whether trying again later may succeed: unreachable, throttled (429) or a service failure (5xx). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * The problem details of a failed reply: the service's problem body, or API Gateway's own
 * `{"message": "Forbidden"}` read as one, or the start of whatever else came back.
 */
export function problemOf(status: number, statusText: string, body: unknown, text: string): ProblemDetails {
  if (typeof body === 'object' && body !== null) {
    const fields = body as Record<string, unknown>;
    if (typeof fields.title === 'string') return { ...(fields as Partial<ProblemDetails>), status };
    if (typeof fields.message === 'string') return { status, title: fields.message };
  }
  const detail = text.trim().slice(0, 300);
  return { status, title: statusText || `HTTP ${status}`, ...(detail ? { detail } : {}) };
}
