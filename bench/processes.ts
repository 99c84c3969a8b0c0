import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Child processes the bench starts (the moto peer, the local service): each is stopped by the
 * bench when done, on Ctrl-C, and when the bench process exits for any reason.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const children = new Set<ChildProcess>();

process.on('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface Started {
  stop(): Promise<void>;
}

function track(child: ChildProcess): { exited: Promise<void>; stop: () => Promise<void> } {
  children.add(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  exited.then(() => children.delete(child));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { exited, stop };
}

/**
 * The peer: `python3 -m moto.server -H 127.0.0.1 -p <port>`, through a two-line wrapper that asks
 * Linux to stop it when the bench dies (PR_SET_PDEATHSIG), so not even a killed bench leaves it behind.
 */
export async function startMoto(): Promise<Started & { endpoint: string }> {
  const port = await freePort();
  const wrapper = [
    'import ctypes, runpy, signal, sys',
    'try:\n    ctypes.CDLL(None).prctl(1, signal.SIGTERM)\nexcept Exception:\n    pass',
    `sys.argv = ['moto.server', '-H', '127.0.0.1', '-p', '${port}']`,
    "runpy.run_module('moto.server', run_name='__main__')",
  ].join('\n');
  const child = spawn('python3', ['-c', wrapper], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    tail.push(chunk.toString('utf8'));
    if (tail.length > 20) tail.shift();
  });
  const { exited, stop } = track(child);
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone) throw new Error(`moto exited before answering:\n${tail.join('').slice(-2000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not answer on ${endpoint} within 30 s`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      break;
    } catch {
      await sleep(200);
    }
  }
  return { endpoint, stop };
}

/**
 * The local service in its own Node process (bench/service-host.ts), as `npm start` runs it: the
 * bench's client work then does not share an event loop with the service. The child exits when
 * its stdin closes, so it never outlives the bench.
 */
export async function startServiceProcess(options: {
  dynamodbEndpoint: string;
  tablePrefix: string;
  shards: number;
}): Promise<
  Started & { url: string; stats(): Promise<Record<string, number>>; resetStats(): Promise<void> }
> {
  const script = fileURLToPath(new URL('./service-host.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      BENCH_DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
      BENCH_TABLE_PREFIX: options.tablePrefix,
      BENCH_SHARDS: String(options.shards),
    },
  });
  const { exited, stop: kill } = track(child);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const nextLine = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const ready = lines.shift();
      if (ready !== undefined) return resolve(ready);
      const timer = setTimeout(() => reject(new Error('the service process did not answer')), timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      exited.then(() => reject(new Error('the service process exited')));
    });
  const ask = async (command: string) => {
    child.stdin?.write(`${command}\n`);
    return JSON.parse(await nextLine(10_000));
  };
  const hello = JSON.parse(await nextLine(60_000)) as { url: string };
  return {
    url: hello.url,
    stats: () => ask('stats'),
    resetStats: async () => {
      await ask('reset');
    },
    stop: async () => {
      child.stdin?.end();
      await Promise.race([exited, sleep(5_000)]);
      await kill();
    },
  };
}
