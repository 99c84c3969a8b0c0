// Access keys as a user manages them (`npm run keys -- create|list|revoke`), and signatures made
// by other signers than the JS SDK: the machine's aws CLI and boto3 (botocore, AWS JSON) and
// Debian's /usr/bin/aws (Query protocol). Tools absent from the machine are skipped visibly.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { AccessKeyCache } from '../../functions/dialects/sqs/access-key-cache';
import { accountId, type SqsTestService, sqsError, startSqsService, uniqueName } from './service';

const run = promisify(execFile);

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

let env: SqsTestService;
let key: Key;

/** Runs `npm run keys -- ...` (the script itself, through tsx) against this file's tables. */
async function keys(...args: string[]) {
  const { stdout, stderr } = await run(
    'npx',
    [
      'tsx',
      'scripts/access-keys.ts',
      ...args,
      '--endpoint',
      inject('dynamodbEndpoint'),
      '--table',
      env.tables.messages,
    ],
    { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
  );
  return { stdout, stderr };
}

beforeAll(async () => {
  env = await startSqsService();
  // Read keys on every request here, so a revocation by the CLI (another process) shows at once.
  const runtime = env.service.runtime;
  runtime.accessKeys = new AccessKeyCache(runtime.accessKeys.store, runtime.queue.clock, 0);
  const created = await keys('create', '--account', accountId, '--description', 'clients test', '--json');
  key = JSON.parse(created.stdout);
}, 60_000);
afterAll(() => env?.close());

const sdk = (credentials: Key) =>
  new SQSClient({ endpoint: env.url, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('npm run keys', () => {
  test('create prints the key once; the SDK signs with it; unsigned requests are refused', async () => {
    expect(key.accessKeyId).toMatch(/^AKSQ[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toHaveLength(40);
    const client = sdk(key);
    await client.send(new ListQueuesCommand({}));
    client.destroy();
    const unsigned = await fetch(`${env.url}/?Action=ListQueues&Version=2012-11-05`);
    expect(unsigned.status).toBe(403);
  });

  test('the human-readable create output shows the secret; list never does', async () => {
    const created = await keys('create', '--account', accountId);
    const id = /aws_access_key_id\s+= (\S+)/.exec(created.stdout)?.[1];
    const secret = /aws_secret_access_key = (\S+)/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect(secret).toHaveLength(40);
    const listed = await keys('list');
    expect(listed.stdout).toContain(key.accessKeyId);
    expect(listed.stdout).toContain(id!);
    expect(listed.stdout).toContain('clients test');
    expect(listed.stdout).not.toContain(key.secretAccessKey);
    expect(listed.stdout).not.toContain(secret!);
    const listedJson = (await keys('list', '--json')).stdout;
    expect(JSON.parse(listedJson)).toContainEqual(expect.objectContaining({ accessKeyId: id, accountId }));
    expect(listedJson).not.toContain(secret!);

    const revoked = await keys('revoke', id!);
    expect(revoked.stdout).toContain(`Revoked ${id}`);
    const client = sdk({ accessKeyId: id!, secretAccessKey: secret! });
    expect((await sqsError(client.send(new ListQueuesCommand({})))).name).toBe('InvalidClientTokenId');
    client.destroy();
    expect((await keys('list')).stdout).toMatch(new RegExp(`${id}.*revoked`));
  }, 90_000);

  test('without --endpoint or --table, keys go to the local data folder (as npm start uses it)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'queue-keys-'));
    try {
      const local = {
        ...process.env,
        QUEUE_DATA_DIR: dataDir,
        DYNAMODB_ENDPOINT: '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      const created = await run('npx', ['tsx', 'scripts/access-keys.ts', 'create', '--json'], { env: local });
      const { accessKeyId } = JSON.parse(created.stdout);
      const listed = await run('npx', ['tsx', 'scripts/access-keys.ts', 'list'], { env: local });
      expect(listed.stdout).toContain(accessKeyId);
      expect(listed.stdout).toContain('000000000000');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('bad commands fail with a message and no stack', async () => {
    const unknown = await run('npx', ['tsx', 'scripts/access-keys.ts', 'explode']).catch((error) => error);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('Usage: npm run keys');
    const missing = await keys('revoke', 'AKSQNOSUCHKEY0000000').catch((error) => error);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no access key AKSQNOSUCHKEY0000000');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', env: { ...process.env, AWS_CONFIG_FILE: '/dev/null' } });
    return true;
  } catch {
    return false;
  }
}

const clientEnv = (credentials: Key) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});

describe.runIf(has('aws', ['--version']))('aws CLI (botocore, JSON protocol) with a key', () => {
  const aws = (credentials: Key, ...args: string[]) =>
    run('aws', ['--endpoint-url', env.url, '--output', 'json', 'sqs', ...args], {
      env: clientEnv(credentials),
    });

  test('signed calls work; a wrong secret is SignatureDoesNotMatch', async () => {
    const name = uniqueName();
    const { stdout } = await aws(key, 'create-queue', '--queue-name', name);
    const { QueueUrl } = JSON.parse(stdout);
    await aws(key, 'send-message', '--queue-url', QueueUrl, '--message-body', 'naïve ~ * & = + / spaces');
    const received = JSON.parse((await aws(key, 'receive-message', '--queue-url', QueueUrl)).stdout);
    expect(received.Messages[0].Body).toBe('naïve ~ * & = + / spaces');
    const wrong = await aws({ ...key, secretAccessKey: 'wrong' }, 'list-queues').catch((error) => error);
    expect(wrong.stderr).toContain('SignatureDoesNotMatch');
  });
});

describe.runIf(has('python3', ['-c', 'import boto3']))('boto3 with a key', () => {
  test('batch send and receive with attributes', async () => {
    const script = `
import boto3, json, sys
sqs = boto3.client('sqs', endpoint_url=sys.argv[1], region_name='us-east-1')
url = sqs.create_queue(QueueName=sys.argv[2])['QueueUrl']
sqs.send_message_batch(QueueUrl=url, Entries=[
  {'Id': 'a', 'MessageBody': 'one', 'MessageAttributes': {'k': {'DataType': 'String', 'StringValue': 'v w'}}},
  {'Id': 'b', 'MessageBody': 'two'}])
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'])
print(json.dumps(sorted(m['Body'] for m in got['Messages'])))
`;
    const { stdout } = await run('python3', ['-c', script, env.url, uniqueName()], { env: clientEnv(key) });
    expect(JSON.parse(stdout)).toEqual(['one', 'two']);
  });
});

describe.runIf(existsSync('/usr/bin/aws'))("Debian's /usr/bin/aws (Query protocol) with a key", () => {
  test('form-encoded requests to the queue URL verify', async () => {
    const aws = (...args: string[]) =>
      run('/usr/bin/aws', ['--endpoint-url', env.url, '--output', 'json', 'sqs', ...args], {
        env: clientEnv(key),
      });
    const { QueueUrl } = JSON.parse((await aws('create-queue', '--queue-name', uniqueName())).stdout);
    await aws('send-message', '--queue-url', QueueUrl, '--message-body', 'query & signed');
    const received = JSON.parse((await aws('receive-message', '--queue-url', QueueUrl)).stdout);
    expect(received.Messages[0].Body).toBe('query & signed');
  }, 60_000);
});
