import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

/**
 * `npm start` as a new user runs it: it starts its own DynamoDB Local with persistence, serves
 * the API, keeps messages across a restart, and stops everything on Ctrl-C (SIGINT).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'queue-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, PORT: String(port), QUEUE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 45_000;
  while (!output.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

test('npm start serves the API on persistent DynamoDB Local and stops cleanly', {
  timeout: 120_000,
}, async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const first = await start(port);
  expect(first.output()).toContain(`listening on ${base}`);
  expect(
    (await fetch(`${base}/queues`, { method: 'POST', body: JSON.stringify({ name: 'kept' }) })).status,
  ).toBe(201);
  const sent = await fetch(`${base}/queues/kept/messages`, {
    method: 'POST',
    body: JSON.stringify({ body: 'survives' }),
  });
  expect(sent.status).toBe(201);
  expect(await stop(first.child)).toBe(0);
  expect(first.output()).toContain('Stopped.');

  const second = await start(port);
  const received = await fetch(`${base}/queues/kept/messages/receive`, { method: 'POST', body: '{}' });
  const { messages } = (await received.json()) as { messages: { body: string }[] };
  expect(messages.map((m) => m.body)).toEqual(['survives']);
  expect(await stop(second.child)).toBe(0);
});
