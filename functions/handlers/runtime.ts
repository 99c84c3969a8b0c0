import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Runtime } from '../dialects/runtime';
import { AccessKeyCache } from '../dialects/sqs/access-key-cache';
import type { SqsAuthMode } from '../dialects/sqs/signature';
import type { Clock } from '../queue/clock';
import type { QueueContext } from '../queue/context';
import type { ArchiveStore, ArchiveWriter } from '../queue/ports/archive-store';
import type { BodyStore } from '../queue/ports/body-store';
import { createQueueContext } from '../queue/service';
import { DynamoAccessKeyStore } from '../store/access-key-store';
import { createDynamoClient } from '../store/client';
import { DynamoDeadLetterStore } from '../store/dead-letter-store';
import { DynamoFairnessStore } from '../store/fairness-store';
import { DynamoFifoStore } from '../store/fifo-store';
import { DynamoInspectionStore } from '../store/inspection-store';
import { DynamoQueueStore } from '../store/queue-store';
import { bodyStoreFromEnv } from '../store/s3-body-store';
import { DynamoStatsStore } from '../store/stats-store';
import { type TableNames, tableNames } from '../store/table-layout';
import type { TopicsContext } from '../topics/context';
import { loadReceiptHandleSecret } from './secret';

/**
 * What a handler needs at run time, read once per container from the environment:
 *   MESSAGES_TABLE, DEAD_LETTERS_TABLE  table names (default `queue-messages`, `queue-dead-letters`)
 *   DYNAMODB_ENDPOINT                   a local DynamoDB (unset on AWS)
 *   RECEIPT_HANDLE_SECRET               the handle-signing secret, or
 *   RECEIPT_HANDLE_SECRET_ARN           a Secrets Manager secret holding it (deployed stack)
 *   QUEUE_ACCOUNT_ID, AWS_REGION        the account and region queues live in
 *   QUEUE_SHARDS                        ready-index shards for new queues (default 4)
 *   BODY_BUCKET, BODY_THRESHOLD_BYTES   large bodies in S3 (store/s3-body-store.ts; unset: all in
 *   S3_ENDPOINT                         DynamoDB); S3_ENDPOINT names a local S3-compatible server
 *   SQS_AUTH                            `required`: every SQS request must be SigV4-signed with an
 *                                       active access key (the deployed stack sets it); unset: only
 *                                       once at least one key exists (local default)
 */
export type { Runtime };

export const defaultAccountId = '000000000000';

let runtime: Promise<Runtime> | undefined;

/** The runtime of this container, built on first use. Tests and the local host may set their own. */
export function getRuntime(): Promise<Runtime> {
  runtime ??= buildRuntime(process.env);
  return runtime;
}

export function setRuntime(value: Runtime): void {
  runtime = Promise.resolve(value);
}

type TopicsFactory = (queue: QueueContext, options: RuntimeOptions) => TopicsContext;
let topicsFactory: TopicsFactory | undefined;

/** Called by handlers/topics-runtime.ts, which only the functions serving topics import. */
export function provideTopics(factory: TopicsFactory): void {
  topicsFactory = factory;
}

export interface RuntimeOptions {
  client: DynamoDBClient;
  tables: TableNames;
  receiptHandleSecret: string;
  account?: string;
  region?: string;
  defaultShardCount?: number;
  clock?: Clock;
  queueCacheMs?: number;
  /** Defaults to SQS_AUTH from the environment. */
  sqsAuth?: SqsAuthMode;
  /** Where bodies above its threshold go (S3); without it every body stays in DynamoDB. */
  bodies?: BodyStore;
  /** Queues keep counters fed by the messages table's stream (deployed; locally when asked for). */
  counters?: boolean;
}

type ArchiveFactory = (options: {
  client: DynamoDBClient;
  tables: TableNames;
}) => ArchiveWriter | ArchiveStore;
let archiveFactory: ArchiveFactory | undefined;

/**
 * Functions that accept messages (send, sqs, topics, sweeper, redrive) register the archive's
 * storage (./with-archive.ts) before their runtime is built, so the others (queues, receive,
 * delete) do not bundle it.
 */
export function registerArchive(factory: ArchiveFactory): void {
  archiveFactory = factory;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  // Every adapter that writes, reads or removes message bodies shares the body store.
  const stores = {
    client: options.client,
    tables: options.tables,
    ...(options.bodies ? { bodies: options.bodies } : {}),
    counters: options.counters ?? false,
  };
  const store = new DynamoQueueStore(stores);
  const deadLetters = new DynamoDeadLetterStore(stores);
  const accessKeys = new DynamoAccessKeyStore({ client: options.client, table: options.tables.messages });
  const queue = createQueueContext({
    store,
    deadLetters,
    fifo: new DynamoFifoStore(stores),
    stats: new DynamoStatsStore({ client: options.client, tables: options.tables }),
    inspection: new DynamoInspectionStore(stores),
    ...(archiveFactory
      ? { archive: archiveFactory({ client: options.client, tables: options.tables }) }
      : {}),
    fairness: new DynamoFairnessStore({ client: options.client, tables: options.tables }),
    receiptHandleSecret: options.receiptHandleSecret,
    defaultShardCount: options.defaultShardCount,
    clock: options.clock,
    queueCacheMs: options.queueCacheMs,
  });
  let topics: TopicsContext | undefined;
  return {
    queue,
    // Made on first use, by the module the functions serving topics import (topics-runtime.ts).
    get topics() {
      if (!topicsFactory)
        throw new Error('this function does not serve topics (see handlers/topics-runtime.ts)');
      topics ??= topicsFactory(queue, options);
      return topics;
    },
    account: options.account ?? defaultAccountId,
    region: options.region ?? 'us-east-1',
    accessKeys: new AccessKeyCache(accessKeys, queue.clock),
    sqsAuth: options.sqsAuth ?? sqsAuthFrom(process.env),
  };
}

export const sqsAuthFrom = (env: NodeJS.ProcessEnv): SqsAuthMode =>
  env.SQS_AUTH === 'required' ? 'required' : 'when-keys-exist';

async function buildRuntime(env: NodeJS.ProcessEnv): Promise<Runtime> {
  const defaults = tableNames();
  return createRuntime({
    client: createDynamoClient(env),
    tables: {
      messages: env.MESSAGES_TABLE ?? defaults.messages,
      deadLetters: env.DEAD_LETTERS_TABLE ?? defaults.deadLetters,
    },
    receiptHandleSecret: await loadReceiptHandleSecret(env),
    account: env.QUEUE_ACCOUNT_ID,
    region: env.AWS_REGION,
    defaultShardCount: env.QUEUE_SHARDS ? Number(env.QUEUE_SHARDS) : undefined,
    sqsAuth: sqsAuthFrom(env),
    ...withBodies(bodyStoreFromEnv(env)),
    // On AWS (no local endpoint) the stack's counter function keeps them from the stream.
    counters: env.QUEUE_COUNTERS ? env.QUEUE_COUNTERS === 'on' : !env.DYNAMODB_ENDPOINT,
  });
}

const withBodies = (bodies: BodyStore | undefined) => (bodies ? { bodies } : {});
