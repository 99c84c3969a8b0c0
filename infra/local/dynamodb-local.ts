// Starts the real DynamoDB Local (Java) as a child process, for tests and the local server.
// The jar folder is put in place by scripts/fetch-dynamodb-local.mjs (the package's postinstall).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DynamoDbLocalOptions {
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Keep tables in memory only (default true). When false, data lives in `dataDir`. */
  inMemory?: boolean;
  /** Folder for the database file when not in memory (default `<repo>/.data/dynamodb`). */
  dataDir?: string;
  /** Receives each line DynamoDB Local prints. */
  log?: (line: string) => void;
}

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 40;

function jarDir(): string {
  const dir = resolve(process.env.DYNAMODB_LOCAL_DIR ?? join(REPO_ROOT, '.dynamodb-local'));
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new Error(
      `DynamoDB Local is not installed: ${join(dir, 'DynamoDBLocal.jar')} is missing. ` +
        'Run `npm install` (or `node scripts/fetch-dynamodb-local.mjs`) in the repo root.',
    );
  }
  return dir;
}

function javaCommand(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `Java was not found (${java}): DynamoDB Local needs Java 17+. Install it ` +
        '(Debian/Ubuntu: `apt-get install default-jre-headless`), ' +
        'or set DYNAMODB_ENDPOINT to an existing DynamoDB.',
    );
  }
  return java;
}

/** Binds `port` (0: any) on 127.0.0.1 and releases it, proving it free; resolves the port number. */
function claimPort(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', (err) => reject(new Error(`Port ${port} is not available: ${err.message}`)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

class PortInUseError extends Error {}

/** True once the server answers a ListTables call (any credentials work against DynamoDB Local). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(2_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false; // refused while the JVM boots, or timed out
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  const dir = jarDir();
  const java = javaCommand();
  const storage: string[] = [];
  if (options.inMemory ?? true) {
    storage.push('-inMemory');
  } else {
    const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.data', 'dynamodb'));
    mkdirSync(dataDir, { recursive: true });
    storage.push('-dbPath', dataDir);
  }
  // A picked port can be taken by someone else before Java binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = await claimPort(options.port ?? 0);
    try {
      return await launch(java, dir, port, storage, options.log);
    } catch (err) {
      if (!(err instanceof PortInUseError) || options.port !== undefined || attempt >= 3) throw err;
    }
  }
}

async function launch(
  java: string,
  dir: string,
  port: number,
  storage: string[],
  log: ((line: string) => void) | undefined,
): Promise<RunningDynamoDbLocal> {
  const endpoint = `http://127.0.0.1:${port}`;
  const args = [
    '-Xmx1g',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    ...storage,
    // One database for every access key and region, so the SDK, the CLI and tests all see the same tables.
    '-sharedDb',
    // Telemetry would try to reach AWS; these machines have no such network.
    '-disableTelemetry',
  ];

  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  // DynamoDB Local does not exit when its port is taken: it logs a BindException and idles, so watch for it.
  let bindFailed = false;
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (!line) continue;
      if (/BindException|Address already in use/.test(line)) bindFailed = true;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      log?.(line);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  let exited: string | undefined;
  const exitedPromise = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
      done();
    });
    child.once('error', (err) => {
      exited = `failed to start: ${err.message}`;
      done();
    });
  });

  // A plain 'exit' listener runs synchronously as node exits, so a crashed or forgetful parent never
  // leaves a JVM holding the port. (Killing node with a signal skips 'exit'; Ctrl-C reaches the whole
  // process group anyway.)
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const graceful = await Promise.race([
        exitedPromise.then(() => true),
        sleep(STOP_GRACE_MS).then(() => false),
      ]);
      if (!graceful) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    })();
    return stopping;
  };

  const details = () => {
    const output = tail.length ? `\nlast output:\n${tail.join('\n')}` : '';
    return `\ncommand: ${java} ${args.join(' ')}${output}`;
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  // Look at the child before each probe: fail fast on exit or on a port taken after we checked it.
  for (;;) {
    if (bindFailed) {
      await stop();
      throw new PortInUseError(`DynamoDB Local could not bind port ${port}${details()}`);
    }
    if (exited) {
      await stop();
      throw new Error(`DynamoDB Local ${exited} before answering on ${endpoint}${details()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `DynamoDB Local did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000}s${details()}`,
      );
    }
    if (await answers(endpoint)) break;
    await sleep(100);
  }
  return { endpoint, port, stop };
}
