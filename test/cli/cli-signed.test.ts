import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { tableNames } from '../../functions/store/table-layout';
import { useLocalService } from '../support/local-service';
import { cleanEnv, repoRoot, runCli } from './run-cli';

/**
 * Signed mode, as a user meets it locally: once `npm run keys -- create` has made an access key, the
 * local service (like API Gateway deployed) wants SigV4 for execute-api; the tool signs with the key
 * from the environment or a named profile, and says what to do when it has none.
 */
const tables = tableNames(`tcli${randomBytes(4).toString('hex')}-`);
const local = useLocalService({ tables });
let key: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  // Exactly what the README tells a user to run, pointed at this test's tables.
  const { stdout } = await promisify(execFile)(
    'npm',
    [
      'run',
      '--silent',
      'keys',
      '--',
      'create',
      '--json',
      '--description',
      'cli test',
      '--endpoint',
      inject('dynamodbEndpoint'),
      '--table',
      tables.messages,
    ],
    { cwd: repoRoot, env: cleanEnv() },
  );
  key = JSON.parse(stdout.trim().split('\n').at(-1)!);
}, 60_000);

const withKeys = (extra: NodeJS.ProcessEnv = {}) => ({
  AWS_ACCESS_KEY_ID: key.accessKeyId,
  AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
  ...extra,
});

describe('against a service that requires signatures', () => {
  test('unsigned: refused (1), and told how to sign', async () => {
    const result = await runCli(['list'], { endpoint: local.url() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pass --profile or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    expect(result.stderr).toContain('npm run keys -- create');
  });

  test('signed with keys from the environment: create, send, receive', async () => {
    const queue = `signed-${Date.now()}`;
    const env = withKeys();
    expect((await runCli(['create', queue], { endpoint: local.url(), env })).code).toBe(0);
    const sent = await runCli(['send', queue, 'signed body', '--json'], { endpoint: local.url(), env });
    expect(sent.code, sent.stderr).toBe(0);
    const received = await runCli(['receive', queue, '--delete', '--json'], { endpoint: local.url(), env });
    expect(JSON.parse(received.stdout).messages[0].body).toBe('signed body');
  });

  test('a signed query with a space reaches the service, which answers it (not a signature error)', async () => {
    const env = withKeys();
    const result = await runCli(['list', '--prefix', 'j 2', '--json'], { endpoint: local.url(), env });
    expect(result.code, result.stderr).toBe(1);
    const { error } = JSON.parse(result.stderr);
    expect(error.status).toBe(400);
    expect(error.code).not.toBe('SignatureDoesNotMatch');
  });

  test('signed with a named profile from a credentials file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dq-profile-'));
    const credentials = join(dir, 'credentials');
    writeFileSync(
      credentials,
      `[queue-local]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
    );
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'config') };
    const result = await runCli(['list', '--profile', 'queue-local', '--json'], {
      endpoint: local.url(),
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    const missing = await runCli(['list', '--profile', 'nope'], { endpoint: local.url(), env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no AWS credentials found for profile nope');
  });

  test('a wrong secret or region is refused with SignatureDoesNotMatch and a hint', async () => {
    const wrongSecret = await runCli(['list', '--json'], {
      endpoint: local.url(),
      env: withKeys({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' }),
    });
    expect(wrongSecret.code).toBe(1);
    expect(JSON.parse(wrongSecret.stderr).error).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const wrongRegion = await runCli(['list', '--region', 'eu-west-1'], {
      endpoint: local.url(),
      env: withKeys(),
    });
    expect(wrongRegion.code).toBe(1);
    expect(wrongRegion.stderr).toContain('--region');
  });

  test('an unknown key is refused with InvalidClientTokenId', async () => {
    const result = await runCli(['list', '--json'], {
      endpoint: local.url(),
      env: { AWS_ACCESS_KEY_ID: 'AKSQUNKNOWNUNKNOWN00', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) },
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error).toMatchObject({ status: 403, code: 'InvalidClientTokenId' });
  });
});
