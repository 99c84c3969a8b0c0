import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createDynamoClient } from '../functions/store/client';
import { tableNames } from '../functions/store/table-layout';
import { startLocalService } from '../infra/local/service';
import { ensureTables } from '../infra/local/tables';
import { benchQueueContext } from './context';
import { CpuTally, type CpuUse, cpuSnapshot } from './cpu';
import { type DriveResult, drive, type LifecycleTarget, Tally } from './driver';
import { meterClient } from './dynamo-meter';
import type { BenchOptions, RowName } from './options';
import { startMoto, startServiceProcess } from './processes';
import { meterService } from './service-meter';
import { ceilingTarget } from './targets/ceiling';
import { coreTarget } from './targets/core';
import { restTarget } from './targets/rest-http';
import { createSqsQueue, sqsClient, sqsTarget } from './targets/sqs-client';

export interface RowResult {
  name: RowName;
  label: string;
  available: boolean;
  /** Why the row was not measured. */
  reason?: string;
  result?: DriveResult;
  ratioToCeiling?: number;
  /** DynamoDB calls per completed lifecycle, counted on the client that made them. */
  dynamoCallsPerLifecycle?: number;
  dynamoCalls?: Record<string, number>;
  /** Where the CPU went during the measured part of the row. */
  cpu?: CpuUse;
  /** Mean 1-minute load average when the row's rounds started (other work on the machine shows here). */
  loadAverage?: number;
}

export const rowLabels: Record<RowName, string> = {
  ceiling: 'ceiling: raw DynamoDB Local (put, cond. update, cond. delete)',
  'ceiling-query': 'ceiling + index query (raw calls the queue makes)',
  core: 'queue core, in-process',
  'rest-http': 'local service over HTTP, REST',
  'sqs-http': 'local service over HTTP, SQS JSON (@aws-sdk/client-sqs)',
  moto: 'moto server peer (@aws-sdk/client-sqs)',
};

/** Long enough that no lease expires during a row: every message is delivered once. */
const visibilitySeconds = 600;

interface RowSetup {
  target: LifecycleTarget;
  /** DynamoDB calls made since the last reset, by command; undefined when not countable. */
  calls?: () => Promise<Record<string, number>>;
  resetCalls?: () => Promise<void>;
  close: () => Promise<void>;
}

export async function runRows(
  options: BenchOptions,
  dynamodbEndpoint: string,
  log: (line: string) => void,
): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: dynamodbEndpoint, AWS_REGION: 'us-east-1' });
  const ceilingTables = tableNames('bench-ceiling-');
  await ensureTables(client, ceilingTables);
  const base = { messages: options.messages, concurrency: options.concurrency, bodyBytes: options.bodyBytes };

  // DynamoDB Local is a JVM whose JIT takes a while: warm it up (20 s at most) before any row.
  log('warming up DynamoDB Local ...');
  await drive(
    ceilingTarget(client, ceilingTables.messages, { query: true, shards: options.shards, visibilitySeconds }),
    {
      ...base,
      messages: Math.max(2_000, options.warmup),
      timeLimitMs: 20_000,
    },
  );

  // Set every row up first; then run them in rounds, each round in a rotated order, so that noise
  // from the machine (other work, JIT, GC) spreads over all rows instead of hitting one.
  const live: {
    name: RowName;
    setup: RowSetup;
    tally: Tally;
    cpu: CpuTally;
    calls: Record<string, number>;
    load: number[];
  }[] = [];
  for (const name of options.rows) {
    try {
      const setup = await setUp(name, options, dynamodbEndpoint, ceilingTables.messages);
      live.push({ name, setup, tally: new Tally(), cpu: new CpuTally(), calls: {}, load: [] });
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
      log(`${name}: not available (${reason})`);
      results.push({ name, label: rowLabels[name], available: false, reason });
    }
  }
  try {
    for (const row of live) {
      if (options.warmup > 0) {
        await drive(row.setup.target, {
          ...base,
          messages: options.warmup,
          timeLimitMs: options.rowTimeLimitMs,
        });
      }
    }
    const perRound = Math.ceil(options.messages / options.rounds);
    for (let round = 0; round < options.rounds; round++) {
      const order = live.map((_, k) => live[(k + round) % live.length]!);
      for (const row of order) {
        const remaining = Math.min(perRound, options.messages - row.tally.completed);
        const timeLeft = options.rowTimeLimitMs - row.tally.elapsedMs;
        if (remaining <= 0 || timeLeft <= 0 || row.tally.errors >= 50) continue;
        await row.setup.resetCalls?.();
        row.load.push(loadavg()[0]!);
        const before = cpuSnapshot();
        const elapsedBefore = row.tally.elapsedMs;
        await drive(row.setup.target, { ...base, messages: remaining, timeLimitMs: timeLeft }, row.tally);
        row.cpu.add(before, cpuSnapshot(), row.tally.elapsedMs - elapsedBefore);
        for (const [command, count] of Object.entries((await row.setup.calls?.()) ?? {})) {
          row.calls[command] = (row.calls[command] ?? 0) + count;
        }
      }
      log(
        `round ${round + 1}/${options.rounds}: ` +
          live.map((r) => `${r.name} ${r.tally.result().lifecyclesPerSecond.toFixed(0)}/s`).join(', ') +
          ` (load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  } finally {
    for (const row of live) await row.setup.close().catch(() => undefined);
  }
  for (const row of live) {
    const result = row.tally.result();
    if (result.errors) log(`${row.name}: ${result.errors} errors (${result.firstError})`);
    const total = Object.values(row.calls).reduce((a, b) => a + b, 0);
    results.push({
      name: row.name,
      label: rowLabels[row.name],
      available: true,
      result,
      cpu: row.cpu.use(result.completed),
      loadAverage: row.load.reduce((a, b) => a + b, 0) / Math.max(1, row.load.length),
      ...(total > 0 && result.completed > 0
        ? { dynamoCallsPerLifecycle: total / result.completed, dynamoCalls: row.calls }
        : {}),
    });
  }
  results.sort((a, b) => options.rows.indexOf(a.name) - options.rows.indexOf(b.name));
  client.destroy();
  const ceiling = results.find((r) => r.name === 'ceiling')?.result?.lifecyclesPerSecond;
  for (const row of results) {
    if (ceiling && row.result) row.ratioToCeiling = row.result.lifecyclesPerSecond / ceiling;
  }
  return results;
}

async function setUp(
  name: RowName,
  options: BenchOptions,
  dynamodbEndpoint: string,
  ceilingTable: string,
): Promise<RowSetup> {
  const queueName = `bench-${name}-${randomUUID().slice(0, 8)}`;
  switch (name) {
    case 'ceiling':
    case 'ceiling-query': {
      const client = createDynamoClient({ DYNAMODB_ENDPOINT: dynamodbEndpoint, AWS_REGION: 'us-east-1' });
      const meter = meterClient(client, { askCapacity: false });
      const target = ceilingTarget(client, ceilingTable, {
        query: name === 'ceiling-query',
        shards: options.shards,
        visibilitySeconds,
      });
      return {
        target,
        calls: async () => meter.byCommand(),
        resetCalls: async () => meter.clear(),
        close: async () => client.destroy(),
      };
    }
    case 'core': {
      const coreClient = createDynamoClient({ DYNAMODB_ENDPOINT: dynamodbEndpoint, AWS_REGION: 'us-east-1' });
      const tables = tableNames('bench-core-');
      await ensureTables(coreClient, tables);
      const meter = meterClient(coreClient, { askCapacity: false });
      const ctx = benchQueueContext({ client: coreClient, tables, shards: options.shards });
      const ref = { account: '000000000000', region: 'us-east-1', name: queueName };
      return {
        target: await coreTarget(ctx, ref, { shards: options.shards, visibilitySeconds }),
        calls: async () => meter.byCommand(),
        resetCalls: async () => meter.clear(),
        close: async () => coreClient.destroy(),
      };
    }
    case 'rest-http':
    case 'sqs-http': {
      const service = await startService(options, dynamodbEndpoint);
      try {
        if (name === 'rest-http') {
          const target = await restTarget(service.url, queueName, {
            concurrency: options.concurrency,
            shards: options.shards,
            visibilitySeconds,
          });
          return {
            target,
            calls: service.stats,
            resetCalls: service.resetStats,
            close: async () => {
              target.close();
              await service.stop();
            },
          };
        }
        const sqs = sqsClient(service.url, options.concurrency);
        let queueUrl: string;
        try {
          queueUrl = await createSqsQueue(sqs, queueName, visibilitySeconds);
        } catch (error) {
          sqs.destroy();
          const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
          throw new Error(
            `the SQS dialect did not answer CreateQueue on ${service.url}: ${e.name ?? 'Error'} ` +
              `${e.$metadata?.httpStatusCode ?? ''} ${e.message ?? ''}`.trim(),
          );
        }
        return {
          target: sqsTarget(sqs, queueUrl),
          calls: service.stats,
          resetCalls: service.resetStats,
          close: async () => {
            sqs.destroy();
            await service.stop();
          },
        };
      } catch (error) {
        await service.stop();
        throw error;
      }
    }
    case 'moto': {
      const moto = await startMoto();
      const sqs = sqsClient(moto.endpoint, options.concurrency);
      try {
        const queueUrl = await createSqsQueue(sqs, queueName, visibilitySeconds, 30_000);
        return {
          target: sqsTarget(sqs, queueUrl),
          close: async () => {
            sqs.destroy();
            await moto.stop();
          },
        };
      } catch (error) {
        sqs.destroy();
        await moto.stop();
        throw error;
      }
    }
  }
}

interface BenchService {
  url: string;
  stats: () => Promise<Record<string, number>>;
  resetStats: () => Promise<void>;
  stop: () => Promise<void>;
}

/** The local service, in its own process (default) or in this one. */
/**
 * The local service both HTTP rows use, started once (rows run one at a time, and the service's
 * handlers share one runtime per process anyway) and stopped when the last row lets go of it.
 */
let shared: { service: Promise<BenchService>; users: number } | undefined;

async function startService(options: BenchOptions, dynamodbEndpoint: string): Promise<BenchService> {
  if (!shared) {
    const service = launchService(options, dynamodbEndpoint);
    shared = { service, users: 0 };
    service.catch(() => {
      shared = undefined;
    });
  }
  shared.users++;
  const service = await shared.service;
  return {
    ...service,
    stop: async () => {
      if (!shared || --shared.users > 0) return;
      shared = undefined;
      await service.stop();
    },
  };
}

/** In its own process (default), or in this one. */
async function launchService(options: BenchOptions, dynamodbEndpoint: string): Promise<BenchService> {
  const tablePrefix = 'bench-http-';
  if (!options.serviceInProcess) {
    return startServiceProcess({ dynamodbEndpoint, tablePrefix, shards: options.shards });
  }
  const service = await startLocalService({
    dynamodbEndpoint,
    port: 0,
    tables: tableNames(tablePrefix),
    defaultShardCount: options.shards,
  });
  const meter = meterService(service);
  return {
    url: service.url,
    stats: async () => meter?.byCommand() ?? {},
    resetStats: async () => meter?.clear(),
    stop: async () => {
      await service.close();
    },
  };
}
