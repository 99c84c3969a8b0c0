import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

/**
 * Issue 15, point 4: a second `npm start` on the same data directory is refused at once (a lock
 * on the directory, released on exit, stale when its process is gone), and one on a port that is
 * taken says so at once, before any DynamoDB Local starts.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'queue-twice-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const lockFile = join(dataDir, 'npm-start.lock');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', ...args], {
    env: { ...process.env, PORT: String(port), QUEUE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function started(port: number): Promise<ChildProcess> {
  const run = launch(port);
  const deadline = Date.now() + 60_000;
  while (!run.output().includes('listening on')) {
    if (run.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not come up:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return run.child;
}

/** Runs a start that should be refused; resolves its exit code, output and how long it took. */
async function refused(port: number, args: string[] = []) {
  const began = Date.now();
  const run = launch(port, args);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      run.child.kill('SIGINT');
      resolve(null);
    }, 20_000);
    run.child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output: run.output(), ms: Date.now() - began };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

test('a second npm start on the same data directory, or on a taken port, is refused at once', {
  timeout: 180_000,
}, async () => {
  const port = await freePort();
  const first = await started(port);
  try {
    expect(existsSync(lockFile)).toBe(true);
    const sameData = await refused(await freePort());
    expect(sameData.code, sameData.output).toBe(1);
    expect(sameData.output).toContain(`another npm start (pid ${first.pid} on port ${port})`);
    expect(sameData.output).toContain(`is already using the data directory ${dataDir}`);
    expect(sameData.output).not.toMatch(/Exception|\n\s+at /);

    const samePort = await refused(port, ['--in-memory']);
    expect(samePort.code, samePort.output).toBe(1);
    expect(samePort.output).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(samePort.output).not.toMatch(/DynamoDB|Exception|\n\s+at /);
    // At once: no DynamoDB Local was started (that alone takes seconds), no 30 s timeout.
    expect(Math.max(sameData.ms, samePort.ms)).toBeLessThan(10_000);
  } finally {
    expect(await stop(first)).toBe(0);
  }
  expect(existsSync(lockFile)).toBe(false);
});

test('a lock left by a process that is gone is stale: the next start takes it over', {
  timeout: 120_000,
}, async () => {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  writeFileSync(lockFile, JSON.stringify({ pid: Number(dead.stdout.toString()), port: 1 }));
  const child = await started(await freePort());
  expect(await stop(child)).toBe(0);
  expect(existsSync(lockFile)).toBe(false);
});
