// `npm run keys -- create|list|revoke <id>|auth on|off|status`: the access keys SQS clients sign
// requests with, and whether the local service requires signatures.
// Talks to the messages table through the same adapter the service uses: the deployed table
// (--table, with your AWS credentials), a DynamoDB at --endpoint / DYNAMODB_ENDPOINT, or by
// default the local service's data folder through a DynamoDB Local of its own.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { newAccessKey } from '../functions/dialects/sqs/new-access-key';
import { defaultAccountId } from '../functions/handlers/runtime';
import type { AccessKeyStore, AccessKeySummary } from '../functions/queue/ports/access-key-store';
import { DynamoAccessKeyStore } from '../functions/store/access-key-store';
import { createDynamoClient } from '../functions/store/client';
import { tableNames } from '../functions/store/table-layout';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { ensureTables } from '../infra/local/tables';

// The SDK's notice about Node 22 is for maintainers (see README), not for every command: as npm start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run keys -- <command> [options]

Commands:
  create [--account <id>] [--description <text>] [--json]
                        create an access key; its secret is printed this once, never again
  list [--json]         list access keys (ids, accounts, dates; never secrets)
  revoke <access-key-id>
                        revoke a key: requests signed with it are refused (within 10 s),
                        even after authentication is turned off
  auth status|on|off    whether the local service requires signed requests. Creating the first
                        key turns it on; revoking keys never turns it off (not even the last
                        one): only "auth off" does. Deployed, SQS_AUTH=required keeps it on.

Where the keys are kept (the service's messages table):
  --table <name>        a deployed table (see the stack outputs), with your AWS credentials
  --region <region>     the deployed table's region (default AWS_REGION)
  --endpoint <url>      a running DynamoDB (default DYNAMODB_ENDPOINT), table queue-messages
                        unless --table or MESSAGES_TABLE says otherwise
  (neither)             the local service's data in QUEUE_DATA_DIR (default .data), through a
                        DynamoDB Local started for this command; works while npm start runs`;

interface Target {
  store: AccessKeyStore;
  where: string;
  close(): Promise<void>;
}

async function openTarget(values: { table?: string; endpoint?: string; region?: string }): Promise<Target> {
  const env = process.env;
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const table = values.table ?? env.MESSAGES_TABLE ?? tableNames().messages;
  let endpoint = values.endpoint ?? env.DYNAMODB_ENDPOINT;
  let local: RunningDynamoDbLocal | undefined;
  if (!endpoint && !values.table) {
    const dataDir = resolve(env.QUEUE_DATA_DIR ?? '.data', 'dynamodb');
    local = await startDynamoDbLocal({ inMemory: false, dataDir });
    endpoint = local.endpoint;
  }
  const client = createDynamoClient({ ...env, AWS_REGION: region, DYNAMODB_ENDPOINT: endpoint });
  if (local) await ensureTables(client, { ...tableNames(), messages: table });
  return {
    store: new DynamoAccessKeyStore({ client, table }),
    where: local
      ? `the local data in ${env.QUEUE_DATA_DIR ?? '.data'}`
      : `table ${table}${endpoint ? ` at ${endpoint}` : ` in ${region}`}`,
    close: async () => {
      client.destroy();
      await local?.stop();
    },
  };
}

async function create(target: Target, values: { account?: string; description?: string; json?: boolean }) {
  const accountId = values.account ?? process.env.QUEUE_ACCOUNT_ID ?? defaultAccountId;
  if (!/^\d{12}$/.test(accountId))
    throw new Error(`--account must be a 12-digit account id, not ${accountId}`);
  for (;;) {
    const key = newAccessKey({
      accountId,
      now: Date.now(),
      ...(values.description ? { description: values.description } : {}),
    });
    if (!(await target.store.createKey(key))) continue; // an id clash: draw another
    if (values.json) {
      console.log(
        JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, accountId }),
      );
      return;
    }
    console.log(`Created access key ${key.accessKeyId} for account ${accountId} in ${target.where}.

  aws_access_key_id     = ${key.accessKeyId}
  aws_secret_access_key = ${key.secretAccessKey}

The secret is shown only now. Keep it, for example: aws configure --profile queue`);
    return;
  }
}

async function list(target: Target, json: boolean | undefined) {
  const keys = await target.store.listKeys();
  if (json) {
    console.log(JSON.stringify(keys));
    return;
  }
  if (keys.length === 0) {
    console.log(`No access keys in ${target.where}. ${await authSentence(target)}`);
    return;
  }
  const row = (key: AccessKeySummary) =>
    [
      key.accessKeyId.padEnd(22),
      key.accountId.padEnd(14),
      new Date(key.createdAt).toISOString().padEnd(26),
      key.revokedAt === undefined ? 'active'.padEnd(26) : `revoked ${new Date(key.revokedAt).toISOString()}`,
      key.description ?? '',
    ].join(' ');
  console.log(
    [
      'ACCESS KEY ID'.padEnd(22),
      'ACCOUNT'.padEnd(14),
      'CREATED'.padEnd(26),
      'STATUS'.padEnd(26),
      'DESCRIPTION',
    ].join(' '),
  );
  for (const key of keys) console.log(row(key));
}

async function revoke(target: Target, accessKeyId: string | undefined) {
  if (!accessKeyId) throw new Error('revoke needs the access key id: npm run keys -- revoke <access-key-id>');
  if (!(await target.store.revokeKey(accessKeyId, Date.now()))) {
    throw new Error(`There is no access key ${accessKeyId} in ${target.where}`);
  }
  console.log(
    `Revoked ${accessKeyId}: requests signed with it are refused (services notice within 10 s). ${await authSentence(target)}`,
  );
}

async function authSentence(target: Target): Promise<string> {
  const on = (await target.store.getAuthentication()) ?? (await target.store.hasActiveKeys());
  return on
    ? 'Authentication is on: requests must be signed with an active key (turn it off: npm run keys -- auth off).'
    : 'Authentication is off: requests are accepted unsigned locally, except those signed with a revoked key.';
}

async function auth(target: Target, setting: string | undefined) {
  if (setting === 'on' || setting === 'off') {
    if (setting === 'on' && !(await target.store.hasActiveKeys())) {
      throw new Error('there is no active key to sign with: create one first (npm run keys -- create)');
    }
    await target.store.setAuthentication(setting === 'on', Date.now());
    console.log(`${await authSentence(target)} Running services notice within 10 s.`);
    return;
  }
  if (setting !== undefined && setting !== 'status') {
    throw new Error(`auth takes on, off or status, not ${setting}`);
  }
  console.log(await authSentence(target));
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      account: { type: 'string' },
      description: { type: 'string' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, argument] = positionals;
  if (values.help || !command || !['create', 'list', 'revoke', 'auth'].includes(command)) {
    console.log(usage);
    return values.help ? 0 : 1;
  }
  const target = await openTarget(values);
  try {
    if (command === 'create') await create(target, values);
    else if (command === 'list') await list(target, values.json);
    else if (command === 'auth') await auth(target, argument);
    else await revoke(target, argument);
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Only the message: errors never carry a secret, and a stack helps nobody here.
    console.error(`keys: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
