import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, inject, test } from 'vitest';
import { createDynamoClient } from '../../functions/store/client';
import { tableNames } from '../../functions/store/table-layout';
import { ensureTables } from '../../infra/local/tables';

/**
 * `npm run keys` prints what the user asked for, not the AWS SDK's notice about Node versions (which
 * the SDK prints on Node below 22, as `npm start` already hides it). On Node 22 and later the SDK
 * prints no notice, so there this test shows only that the command works.
 */
const repoRoot = join(import.meta.dirname, '..', '..');

test('npm run keys -- list prints the keys and no SDK notice', { timeout: 60_000 }, async () => {
  const table = `keys-quiet-${Date.now().toString(36)}`;
  const endpoint = inject('dynamodbEndpoint');
  const client = createDynamoClient({ ...process.env, DYNAMODB_ENDPOINT: endpoint });
  await ensureTables(client, { ...tableNames(`${table}-`), messages: table });
  client.destroy();
  const env: NodeJS.ProcessEnv = { ...process.env, MESSAGES_TABLE: table };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const { stdout, stderr } = await promisify(execFile)(
    'npm',
    ['run', '--silent', 'keys', '--', 'list', '--endpoint', endpoint],
    { cwd: repoRoot, env },
  );
  expect(stdout).toContain('No access keys');
  expect(stderr).not.toMatch(/NodeVersionSupportWarning|upgrade to node/);
  expect(stderr).toBe('');
});
