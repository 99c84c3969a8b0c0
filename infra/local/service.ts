import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PushRuntime } from '../../functions/dialects/push/runtime';
import { setPushRuntime, withPush } from '../../functions/handlers/push-runtime';
import { createRuntime, type Runtime, setRuntime } from '../../functions/handlers/runtime';
import '../../functions/handlers/with-archive-store';
// The local service serves every function in one process, topics included.
import '../../functions/handlers/topics-runtime';
import type { Clock } from '../../functions/queue/clock';
import type { BodyStore } from '../../functions/queue/ports/body-store';
import { DynamoBase } from '../../functions/store/base';
import { createDynamoClient } from '../../functions/store/client';
import { type TableNames, tableNames } from '../../functions/store/table-layout';
import { settleLocalCounters } from './counter-stream';
import { type HttpHost, startHttpHost } from './http-host';
import { moduleInvoker } from './module-invoker';
import { startPushLoop } from './push-loop';
import { type ScheduleOptions, startSchedules } from './schedules';
import { ensureTables } from './tables';

/**
 * The local service over an already running DynamoDB: creates the tables, builds the same
 * runtime the Lambda functions build, and serves the route table over HTTP.
 */
export interface LocalServiceOptions {
  dynamodbEndpoint: string;
  port?: number;
  host?: string;
  accountId?: string;
  region?: string;
  tables?: TableNames;
  receiptHandleSecret?: string;
  defaultShardCount?: number;
  clock?: Clock;
  /** Where large bodies go (an S3-compatible server); without it they stay in DynamoDB Local. */
  bodies?: BodyStore;
  /** Run the scheduled functions (sweeper, redrive) on timers; off by default for tests. */
  schedules?: boolean | ScheduleOptions;
  /** Run the push dispatcher (consumers of queues); defaults to on when schedules are. */
  push?: boolean;
}

export interface LocalService extends HttpHost {
  runtime: Runtime;
  /** The runtime of push delivery (consumers and their dispatcher), over the same tables. */
  push: PushRuntime;
}

export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  const env = {
    ...process.env,
    DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
    AWS_REGION: options.region ?? 'us-east-1',
  };
  const client = createDynamoClient(env);
  const tables = options.tables ?? tableNames();
  await ensureTables(client, tables);
  const runtime = createRuntime({
    client,
    tables,
    receiptHandleSecret: options.receiptHandleSecret ?? randomBytes(32).toString('base64url'),
    account: options.accountId,
    region: options.region,
    defaultShardCount: options.defaultShardCount,
    clock: options.clock,
    ...(options.bodies ? { bodies: options.bodies } : {}),
  });
  // The handlers read their runtime from here instead of building one from the environment.
  setRuntime(runtime);
  // Push delivery (the consumers routes, the dispatcher loop): module targets and http URLs too.
  const push = withPush(runtime, { client, messagesTable: tables.messages, localModules: moduleInvoker() });
  setPushRuntime(push);
  const host = await startHttpHost({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    accountId: runtime.account,
    runtime,
  });
  const stopSchedules = options.schedules
    ? startSchedules(options.schedules === true ? {} : options.schedules)
    : () => undefined;
  const stopPush =
    (options.push ?? Boolean(options.schedules)) ? startPushLoop(push.push) : async () => undefined;
  // Counts catch up with the stream before each read; with schedules on, also every 10 s, so the
  // stream (kept 24 hours) never runs ahead unread while nobody counts.
  const counterTimer = options.schedules
    ? setInterval(() => {
        settleLocalCounters(new DynamoBase({ client, tables })).catch(() => undefined);
      }, 10_000)
    : undefined;
  return {
    ...host,
    runtime,
    push,
    close: async () => {
      stopSchedules();
      clearInterval(counterTimer);
      await stopPush();
      await host.close();
    },
  };
}

/** A secret kept beside the data, so receipt handles stay valid across restarts. */
export function persistentSecret(dataDir: string): string {
  const file = join(dataDir, 'receipt-handle-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
