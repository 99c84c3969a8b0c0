import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { defaultAccountId } from '../../functions/handlers/runtime';
import { bodyStoreFromEnv } from '../../functions/store/s3-body-store';
import { lockDataDir, requireFreePort } from './data-lock';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { type RunningLocalS3, startLocalS3 } from './local-s3';
import { persistentSecret, startLocalService } from './service';

/**
 * `npm start`: the whole service on this machine. Starts DynamoDB Local (persisting under
 * QUEUE_DATA_DIR, or in memory with --in-memory / QUEUE_IN_MEMORY=1) unless DYNAMODB_ENDPOINT
 * names a running DynamoDB, then serves the API on PORT.
 */
const env = process.env;
// The SDK's notice about Node 22 is for maintainers (see README), not for every start.
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const port = Number(env.PORT ?? 9324);
const host = env.HOST ?? '127.0.0.1';
const inMemory = process.argv.includes('--in-memory') || env.QUEUE_IN_MEMORY === '1';
const dataDir = resolve(env.QUEUE_DATA_DIR ?? '.data');
const accountId = env.QUEUE_ACCOUNT_ID ?? defaultAccountId;
const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';

async function main(): Promise<void> {
  let dynamodb: RunningDynamoDbLocal | undefined;
  let endpoint = env.DYNAMODB_ENDPOINT;
  // Refuse at once what cannot work, before a JVM starts: a data directory another npm start
  // uses, a port that is taken.
  if (!endpoint && !inMemory) lockDataDir(dataDir, port);
  await requireFreePort(port, host);
  if (!endpoint) {
    dynamodb = await startDynamoDbLocal(
      inMemory ? { inMemory: true } : { inMemory: false, dataDir: join(dataDir, 'dynamodb') },
    );
    endpoint = dynamodb.endpoint;
  }
  // Large bodies: in DynamoDB Local by default; in a local s3rver with QUEUE_LOCAL_S3=1, or in
  // any S3-compatible server named by BODY_BUCKET and S3_ENDPOINT.
  let localS3: RunningLocalS3 | undefined;
  if (env.QUEUE_LOCAL_S3 === '1') {
    env.BODY_BUCKET ??= 'queue-bodies';
    localS3 = await startLocalS3({
      bucket: env.BODY_BUCKET,
      host,
      ...(inMemory ? {} : { dataDir: join(dataDir, 's3') }),
    });
    env.S3_ENDPOINT = localS3.endpoint;
  }
  const bodies = bodyStoreFromEnv(env);
  const service = await startLocalService({
    ...(bodies ? { bodies } : {}),
    dynamodbEndpoint: endpoint,
    port,
    host,
    accountId,
    region,
    receiptHandleSecret:
      env.RECEIPT_HANDLE_SECRET ??
      (inMemory ? randomBytes(32).toString('base64url') : persistentSecret(dataDir)),
    ...(env.QUEUE_SHARDS ? { defaultShardCount: Number(env.QUEUE_SHARDS) } : {}),
    // Counts from counters kept from the table's stream, as deployed (README "Counts"); off by
    // default, since DynamoDB Local slows down with every stream record it keeps.
    counters: env.QUEUE_LOCAL_COUNTERS === '1',
    schedules: {
      everySeconds: env.QUEUE_SWEEP_SECONDS ? { sweeper: Number(env.QUEUE_SWEEP_SECONDS) } : {},
      log: (line) => console.error(line),
    },
  });
  const storage = dynamodb
    ? inMemory
      ? 'DynamoDB Local in memory'
      : `DynamoDB Local, data in ${dataDir}`
    : endpoint;
  console.log(`Queue service listening on ${service.url} (account ${accountId}, region ${region})`);
  console.log(`  REST API: ${service.url}/queues   OpenAPI: ${service.url}/openapi.json`);
  console.log(`  Web console: ${service.url}/console`);
  console.log(`  Storage: ${storage}`);
  if (bodies) {
    console.log(
      `  Bodies over ${bodies.thresholdBytes} bytes: bucket ${env.BODY_BUCKET} at ${env.S3_ENDPOINT ?? 'S3'}`,
    );
  }
  // `npm run keys` must reach this same DynamoDB: in memory, only through its (random) port.
  const account = accountId === defaultAccountId ? '' : ` --account ${accountId}`;
  console.log(`  DynamoDB endpoint: ${endpoint}`);
  console.log(`  Access keys: npm run keys -- create --endpoint ${endpoint}${account}`);
  console.log('  Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    await service.close();
    await dynamodb?.stop();
    await localS3?.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(
    `Could not start the queue service: ${
      taken
        ? `port ${port} is already in use (another npm start?). Stop that process, or use PORT=<another port>.`
        : error instanceof Error
          ? error.message
          : String(error)
    }`,
  );
  process.exit(1);
});
