import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRuntime, type Runtime, setRuntime } from '../functions/handlers/runtime';
import '../functions/handlers/topics-runtime';
import type { Clock } from '../functions/queue/clock';
import { createDynamoClient } from '../functions/store/client';
import { type TableNames, tableNames } from '../functions/store/table-layout';
import { startHttpHost } from '../infra/local/http-host';
import { ensureTables } from '../infra/local/tables';
import { ScaledClock } from './clock';
import { FaultInjector } from './faults';
import type { StorageOracle } from './oracle';

/**
 * The local service as `npm start` runs it (the deployed handlers behind the local HTTP host),
 * except that its runtime talks to DynamoDB through a client carrying the fault injector and the
 * storage oracle. A second, clean client is kept for setup and for reading the final state.
 */
export interface ChaosServiceOptions {
  dynamodbEndpoint: string;
  tables: TableNames;
  receiptHandleSecret: string;
  clock: Clock;
  faults: FaultInjector;
  oracle?: StorageOracle;
  shardCount?: number;
  /** Queues keep counters from the messages table's stream (as deployed); see checks/counts.ts. */
  counters?: boolean;
}

export interface ChaosService {
  url: string;
  runtime: Runtime;
  /** Without faults: for setup and for auditing the final state. */
  cleanClient: DynamoDBClient;
  close(): Promise<void>;
}

export async function startChaosService(options: ChaosServiceOptions): Promise<ChaosService> {
  const env = { DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: 'us-east-1' };
  const cleanClient = createDynamoClient(env);
  await ensureTables(cleanClient, options.tables, { counters: options.counters ?? false });
  const faultyClient = options.faults.install(createDynamoClient(env));
  options.oracle?.install(faultyClient);
  const runtime = createRuntime({
    client: faultyClient,
    tables: options.tables,
    receiptHandleSecret: options.receiptHandleSecret,
    clock: options.clock,
    counters: options.counters ?? false,
    ...(options.shardCount === undefined ? {} : { defaultShardCount: options.shardCount }),
  });
  // The handlers behind the HTTP host read their runtime from here.
  setRuntime(runtime);
  const host = await startHttpHost({ port: 0, host: '127.0.0.1', accountId: runtime.account, runtime });
  return {
    url: host.url,
    runtime,
    cleanClient,
    close: async () => {
      await host.close();
      faultyClient.destroy();
      cleanClient.destroy();
    },
  };
}

/**
 * The start every side scenario (topics, push, replays) shares: a run id, its own tables, a fault
 * injector from the run's settings and a service on a real-time clock.
 */
export async function startScenarioService(
  scenario: string,
  faultSettings: ConstructorParameters<typeof FaultInjector>[0],
  options: { dynamodbEndpoint: string; log?: (line: string) => void },
) {
  const log = options.log ?? (() => undefined);
  const runId = randomBytes(3).toString('hex');
  const tables = tableNames(`chaos-${scenario}-${runId}-`);
  const faults = new FaultInjector(faultSettings);
  const service = await startChaosService({
    dynamodbEndpoint: options.dynamodbEndpoint,
    tables,
    receiptHandleSecret: randomBytes(32).toString('base64url'),
    clock: new ScaledClock(1),
    faults,
  });
  return { log, runId, tables, faults, service };
}
