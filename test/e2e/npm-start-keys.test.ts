import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

/**
 * `npm start -- --in-memory` keeps its data in a DynamoDB Local on a random port, so it prints that
 * endpoint and the keys command for it; running the command as printed creates a key the service
 * then requires.
 */
const repoRoot = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('the in-memory start prints its DynamoDB endpoint and a keys command that works against it', {
  timeout: 120_000,
}, async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DYNAMODB_ENDPOINT: '' };
  delete env.MESSAGES_TABLE;
  delete env.QUEUE_ACCOUNT_ID;
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--in-memory'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    const deadline = Date.now() + 45_000;
    while (!output.includes('Press Ctrl-C')) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const endpoint = /DynamoDB endpoint: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)?.[1];
    expect(endpoint, output).toBeDefined();
    const printed = /Access keys: (npm run keys -- .*)\n/.exec(output)?.[1];
    expect(printed).toBe(`npm run keys -- create --endpoint ${endpoint}`);

    expect((await fetch(`${base}/queues`)).status).toBe(200);
    const [, , ...args] = printed!.split(' ');
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', ...args, '--json'], {
      cwd: repoRoot,
      env,
    });
    const key = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(key.accessKeyId).toMatch(/^AK/);
    // The service notices its first key within its key cache's refresh (10 s).
    await expect
      .poll(async () => (await fetch(`${base}/queues`)).status, { timeout: 20_000, interval: 500 })
      .toBe(401);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
});
