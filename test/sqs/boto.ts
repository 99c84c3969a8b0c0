import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * boto3 as a long-lived helper process (boto-driver.py), so one test file can make many calls
 * in either SQS protocol without starting Python each time: the machine's python3 (boto3 1.43)
 * speaks AWS JSON 1.0, Debian's /usr/bin/python3 with python3-boto3 (1.26) the Query protocol.
 */
export type SqsProtocolName = 'json' | 'query';

export interface BotoError {
  code: string;
  message: string;
  status: number;
  type?: string;
  queryErrorCode?: string;
}

export type BotoAnswer =
  | { ok: Record<string, unknown>; error?: undefined }
  | { error: BotoError; ok?: undefined };

export interface Boto {
  protocol: SqsProtocolName;
  call(op: string, params?: Record<string, unknown>): Promise<BotoAnswer>;
  /** The call's result; throws with the error when it failed. */
  ok(op: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The call's error; throws when it succeeded. */
  error(op: string, params?: Record<string, unknown>): Promise<BotoError>;
  close(): void;
}

const driver = fileURLToPath(new URL('./boto-driver.py', import.meta.url));

export const interpreters: Record<SqsProtocolName, string> = {
  json: 'python3',
  query: '/usr/bin/python3',
};

/** Whether Debian's boto3 (the Query protocol) is installed (.ci/run installs python3-boto3). */
export const hasQueryBoto = existsSync('/usr/lib/python3/dist-packages/boto3');

export async function startBoto(protocol: SqsProtocolName, endpoint: string): Promise<Boto> {
  const child: ChildProcessWithoutNullStreams = spawn(interpreters[protocol], [driver, endpoint], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // No profile or config of the machine's user leaks into the calls.
    env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  child.on('exit', () => {
    for (const resolve of waiting.splice(0)) resolve(JSON.stringify({ exited: stderr }));
  });
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const hello = JSON.parse(await next()) as { protocol?: string; exited?: string };
  if (hello.protocol !== protocol) {
    child.kill();
    throw new Error(`boto3 under ${interpreters[protocol]} speaks ${hello.protocol}: ${hello.exited ?? ''}`);
  }
  // Calls are answered in order; one at a time keeps requests and answers paired.
  let queue = Promise.resolve();
  const call = (op: string, params: Record<string, unknown> = {}) => {
    const answer = queue.then(async () => {
      const line = next();
      child.stdin.write(`${JSON.stringify({ op, params })}\n`);
      const parsed = JSON.parse(await line) as BotoAnswer & { exited?: string };
      if (parsed.exited !== undefined) throw new Error(`boto driver exited: ${parsed.exited}`);
      return parsed;
    });
    queue = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  };
  return {
    protocol,
    call,
    async ok(op, params) {
      const answer = await call(op, params);
      if (answer.error) throw new Error(`${op} failed: ${answer.error.code}: ${answer.error.message}`);
      return answer.ok;
    },
    async error(op, params) {
      const answer = await call(op, params);
      if (!answer.error) throw new Error(`${op} succeeded: ${JSON.stringify(answer.ok)}`);
      return answer.error;
    },
    close: () => {
      child.stdin.end();
      child.kill();
    },
  };
}
