/**
 * What the tool's exit status means, once: scripts branch on these, and `--help` prints them.
 * A refusal (4xx) is the caller's to fix; an unreachable or failing service (5xx) may pass.
 */
export const exitCodes = {
  ok: 0,
  refused: 1,
  usage: 2,
  unavailable: 3,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodeHelp = `Exit status:
  0  done
  1  the service refused the request (4xx: unknown queue, invalid value, not signed...);
     the error says what to change
  2  usage error (unknown command or option, missing argument, confirmation needed)
  3  the service is unreachable or failed (5xx): start it (npm start), check --endpoint, retry`;

/** A failure the tool explains: `message` says what happened, `hint` what to do about it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, exitCodes.usage, hint);
    this.name = 'UsageError';
  }
}

/** An RFC 9457 problem body as the REST dialect sends it. */
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  field?: string;
  allowed?: string;
}

const signingHint =
  'this service requires signed requests: pass --profile or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY ' +
  '(locally, create a key with: npm run keys -- create)';

/** What a person can do about a refusal, by its code; nothing when the detail already says it. */
function hintFor(status: number, code: string | undefined, detail?: string): string | undefined {
  if (code === 'MissingAuthenticationToken' || status === 401) return signingHint;
  if (code === 'InvalidClientTokenId') {
    return 'the access key is unknown or revoked: check AWS_ACCESS_KEY_ID or --profile (npm run keys -- list)';
  }
  if (code === 'SignatureDoesNotMatch') {
    return 'check the secret key, the --region the service runs in, and this machine’s clock';
  }
  if (status === 403) return signingHint;
  if (code === 'QueueDoesNotExist') return 'list the queues with: dq list';
  if (code === 'QueueNameExists') {
    return 'change its settings with: dq update <queue> [options] (dq update --help lists them)';
  }
  if (code === 'NotFound' && detail === 'Topic does not exist') return 'list the topics with: dq topics';
  if (code === 'NotFound' && detail === 'Subscription does not exist') {
    return "list the topic's subscriptions with: dq subscriptions <topic>";
  }
  // A route the tool knows and the service does not: the service predates this command.
  if (code === 'NotFound' || code === 'MethodNotAllowed') {
    return 'the service does not offer this yet: update and restart it, or check --endpoint';
  }
  if (status === 429) return 'the service is throttling: retry in a moment';
  return undefined;
}

/** A 4xx answer: the request was refused and nothing changed. */
export function refusal(status: number, problem: Problem | undefined, text: string): CliError {
  const title = problem?.title ?? `HTTP ${status}`;
  const detail = problem?.detail ?? (problem ? undefined : text.trim().slice(0, 300) || undefined);
  return new CliError(
    detail ? `${title}: ${detail}` : title,
    exitCodes.refused,
    hintFor(status, problem?.code, problem?.detail),
    {
      status,
      ...(problem?.code ? { code: problem.code } : {}),
      title,
      ...(detail ? { detail } : {}),
    },
  );
}

/** A 5xx answer: the service failed; the request may or may not have taken effect. */
export function serviceFailure(status: number, problem: Problem | undefined): CliError {
  const title = problem?.title ?? `HTTP ${status}`;
  return new CliError(
    problem?.detail ? `${title}: ${problem.detail}` : title,
    exitCodes.unavailable,
    'the service failed: retry; if it persists, look at the service’s log',
    { status, ...(problem?.code ? { code: problem.code } : {}), title },
  );
}

export function unreachable(endpoint: string, cause: unknown): CliError {
  const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : '';
  return new CliError(
    `cannot reach the queue service at ${endpoint}${reason ? ` (${reason})` : ''}`,
    exitCodes.unavailable,
    'is `npm start` running? Otherwise pass --endpoint <url> or set DQ_ENDPOINT',
    { endpoint },
  );
}
