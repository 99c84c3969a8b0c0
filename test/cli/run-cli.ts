import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Runs the real `dq` binary as a user would, and collects what it prints and how it exits. */
export const repoRoot = join(import.meta.dirname, '..', '..');
export const binary = join(repoRoot, 'bin', 'dynamo-queue.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  endpoint?: string;
  /** Written to stdin, then closed; without it stdin is closed at once (not a terminal). */
  input?: string;
  env?: NodeJS.ProcessEnv;
  command?: string[];
  timeoutMs?: number;
}

/** Environment without any AWS credentials of the machine, so requests go unsigned unless a test says. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('AWS_') || name === 'DQ_ENDPOINT') delete env[name];
  }
  return { ...env, ...extra };
}

export function startCli(args: string[], options: CliOptions = {}): ChildProcess {
  const [program, ...before] = options.command ?? [process.execPath, binary];
  const child = spawn(program!, [...before, ...args], {
    cwd: repoRoot,
    env: cleanEnv({ ...(options.endpoint ? { DQ_ENDPOINT: options.endpoint } : {}), ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(options.input ?? '');
  return child;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  return collect(child, options.timeoutMs ?? 20_000);
}

export function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dq did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves once `stream` (a child's stdout or stderr) has carried `text`, or rejects after `timeoutMs`. */
export function waitForText(
  stream: NodeJS.ReadableStream | null,
  text: string | RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never printed ${text}; got: ${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk;
      if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) {
        clearTimeout(timer);
        stream?.off('data', onData);
        resolve(seen);
      }
    };
    stream?.on('data', onData);
  });
}
