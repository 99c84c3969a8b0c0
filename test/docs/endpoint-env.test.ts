import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';

/**
 * Which SQS clients on this machine read `AWS_ENDPOINT_URL_SQS`, as the README's table says: each
 * installed client lists queues with only that variable pointing at the local service (no
 * --endpoint-url). A client that ignores it would call AWS: an unreachable loopback proxy stops
 * that request (for the Python clients; the JavaScript SDK has no proxy support but reads the
 * variable), so nothing leaves the machine. Clients that are not installed are listed and skipped.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const local = useLocalService();
const run = promisify(execFile);
const scratch = join(repoRoot, 'node_modules', '.cache', `endpoint-env-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Client {
  /** The first cell of its README row. */
  row: string;
  installed: () => boolean;
  version: () => Promise<string>;
  /** Lists queues; prints what it got. */
  listQueues: (env: NodeJS.ProcessEnv) => Promise<string>;
}

const pathAws = () => {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'aws');
    if (existsSync(candidate) && realpathSync(candidate) !== '/usr/bin/aws') return candidate;
  }
  return undefined;
};
// v1 prints its version on stderr, v2 on stdout.
const awsVersion = async (aws: string) => {
  const { stdout, stderr } = await run(aws, ['--version']);
  return /aws-cli\/(\S+)/.exec(stdout + stderr)![1]!;
};
const awsList = async (aws: string, env: NodeJS.ProcessEnv) =>
  (
    await run(aws, ['sqs', 'list-queues', '--cli-connect-timeout', '3', '--output', 'json'], {
      env,
      timeout: 30_000,
    })
  ).stdout;
const pythonHasBoto3 = (python: string) => async () =>
  (
    await run(python, ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)'])
  ).stdout.trim();
const boto3List = (python: string) => async (env: NodeJS.ProcessEnv) =>
  (
    await run(
      python,
      [
        '-c',
        'import boto3, botocore.config as c; print(boto3.client("sqs", config=c.Config(connect_timeout=3, retries={"max_attempts": 1})).list_queues())',
      ],
      { env, timeout: 30_000 },
    )
  ).stdout;

const clients: Client[] = [
  {
    row: '`@aws-sdk/client-sqs`',
    installed: () => existsSync(join(repoRoot, 'node_modules/@aws-sdk/client-sqs')),
    version: async () =>
      JSON.parse(readFileSync(join(repoRoot, 'node_modules/@aws-sdk/client-sqs/package.json'), 'utf8'))
        .version,
    listQueues: async (env) => {
      mkdirSync(scratch, { recursive: true });
      const file = join(scratch, 'list.mjs');
      writeFileSync(
        file,
        `import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
console.log(JSON.stringify(await new SQSClient({ maxAttempts: 1 }).send(new ListQueuesCommand({}))));`,
      );
      return (await run(process.execPath, [file], { env, timeout: 30_000 })).stdout;
    },
  },
  {
    row: 'boto3 (pip)',
    installed: () => true,
    // Only a boto3 installed with pip: Debian's package is the row below.
    version: async () => {
      const { stdout } = await run('python3', ['-c', 'import boto3; print(boto3.__file__)']);
      if (stdout.startsWith('/usr/lib/python3/')) throw new Error(`only Debian's boto3 (${stdout.trim()})`);
      return pythonHasBoto3('python3')();
    },
    listQueues: boto3List('python3'),
  },
  {
    row: 'AWS CLI v1 (pip `awscli`)',
    installed: () => pathAws() !== undefined,
    version: () => awsVersion(pathAws()!),
    listQueues: (env) => awsList(pathAws()!, env),
  },
  {
    row: 'Debian 12 `awscli` (`/usr/bin/aws`)',
    installed: () => existsSync('/usr/bin/aws'),
    version: () => awsVersion('/usr/bin/aws'),
    listQueues: (env) => awsList('/usr/bin/aws', env),
  },
  {
    row: 'Debian 12 `python3-boto3`',
    installed: () => existsSync('/usr/lib/python3/dist-packages/boto3'),
    version: pythonHasBoto3('/usr/bin/python3'),
    listQueues: boto3List('/usr/bin/python3'),
  },
];

/** The README's rows: | client | version | reads it? (yes/no...) | */
function readmeRows(): Map<string, { version: string; reads: boolean }> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const rows = new Map<string, { version: string; reads: boolean }>();
  const table = readme.slice(readme.indexOf('| client'), readme.indexOf('\n\n', readme.indexOf('| client')));
  for (const line of table.split('\n').slice(2)) {
    const [client, version, reads] = line
      .split('|')
      .slice(1, 4)
      .map((cell) => cell.trim());
    rows.set(client!, { version: version!, reads: reads!.startsWith('yes') });
  }
  return rows;
}

test('each installed client reads AWS_ENDPOINT_URL_SQS exactly as the README says', {
  timeout: 120_000,
}, async () => {
  const queue = `endpoint-env-${Date.now()}`;
  expect((await call(local.url(), 'POST', '/queues', { name: queue })).status).toBe(201);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_SQS: local.url(),
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
  };
  const rows = readmeRows();
  const checked: string[] = [];
  for (const client of clients) {
    let version: string;
    try {
      if (!client.installed()) throw new Error('not installed');
      version = await client.version();
    } catch (error) {
      console.log(
        `endpoint-env: ${client.row} is not installed here (${(error as Error).message}): not checked`,
      );
      continue;
    }
    const reads = await client.listQueues(env).then(
      (output) => output.includes(queue),
      () => false,
    );
    const row = rows.get(client.row);
    expect(row, `README has no row for ${client.row}`).toBeDefined();
    expect(
      version.startsWith(row!.version.split(' ')[0]!),
      `${client.row}: README says ${row!.version}, installed ${version}`,
    ).toBe(true);
    expect(reads, `${client.row} ${version} reads AWS_ENDPOINT_URL_SQS: ${reads}`).toBe(row!.reads);
    checked.push(`${client.row} ${version}: ${reads ? 'reads it' : 'ignores it'}`);
  }
  console.log(`endpoint-env:\n  ${checked.join('\n  ')}`);
  expect(checked.length).toBeGreaterThan(0);
});
