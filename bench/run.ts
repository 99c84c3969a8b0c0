// npm run bench: speed and cost of the queue against the ceiling (DynamoDB Local itself) and a peer
// (moto), in one run on this machine. See bench/README.md. Everything it starts, it stops.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { createDynamoClient } from '../functions/store/client';
import { tableNames } from '../functions/store/table-layout';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { ensureTables } from '../infra/local/tables';
import { measureBundles } from './bundles';
import { measureCapacity } from './capacity';
import { shardsSvg, throughputSvg } from './chart';
import { measureCostWork } from './costs/measure';
import { costRows, costTable } from './costs/table';
import { fairnessTable, measureFairness } from './fairness';
import { largeBodyTable, measureLargeBodies } from './large-bodies';
import { parseOptions } from './options';
import { measurePriorityCost, priorityTable } from './priorities';
import { measurePush, pushTable } from './push';
import {
  type BenchReport,
  bundleTable,
  capacityTable,
  cpuTable,
  fullText,
  shardTable,
  targetTable,
  throughputTable,
} from './report';
import { runRows } from './rows';
import { measureScheduleSpread, scheduleSpreadTable } from './schedule-spread';
import { shardModel } from './shards';
import { checkTargets } from './targets-check';

const options = parseOptions(process.argv.slice(2), process.env);
const started = Date.now();
const log = (line: string) =>
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
let dynamo: RunningDynamoDbLocal | undefined;

const stopAll = async () => {
  await dynamo?.stop().catch(() => undefined);
  dynamo = undefined;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    stopAll().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`gave up after ${options.totalTimeLimitMs / 1000} s (--total-time-limit)`);
  stopAll().finally(() => process.exit(2));
}, options.totalTimeLimitMs);
watchdog.unref();

try {
  log('starting DynamoDB Local (in memory) ...');
  dynamo = await startDynamoDbLocal({ inMemory: true });
  log(`DynamoDB Local on ${dynamo.endpoint}`);

  const rows = await runRows(options, dynamo.endpoint, log);

  log('capacity units per lifecycle ...');
  const costTables = tableNames('bench-cost-');
  const setupClient = createDynamoClient({ DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' });
  // With the stream: the cost table's counts read counters, as deployed.
  await ensureTables(setupClient, costTables, { counters: true });
  setupClient.destroy();
  const capacity = await measureCapacity({
    dynamodbEndpoint: dynamo.endpoint,
    tables: costTables,
    shards: options.shards,
    bodies: [800, 1024, 200 * 1024],
  });
  log('receive cost with and without priorities ...');
  const priorities = await measurePriorityCost({
    dynamodbEndpoint: dynamo.endpoint,
    tables: costTables,
    shards: options.shards,
  });
  log('on-time delivery of 1,000 messages due at the same second ...');
  const scheduleTables = tableNames('bench-schedule-');
  const scheduleSetup = createDynamoClient({ DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' });
  await ensureTables(scheduleSetup, scheduleTables);
  scheduleSetup.destroy();
  const schedule = await measureScheduleSpread({
    dynamodbEndpoint: dynamo.endpoint,
    tables: scheduleTables,
    shards: options.shards,
  });
  log('fair queues: calls per send and receive with and without group ids ...');
  const fairness = await measureFairness({
    dynamodbEndpoint: dynamo.endpoint,
    tables: costTables,
    shards: options.shards,
  });
  log('cost table: an idle 20-s long poll, console refreshes, a topic fan-out ...');
  const costWork = await measureCostWork({
    dynamodbEndpoint: dynamo.endpoint,
    tables: costTables,
    shards: options.shards,
    backlog: 2_000,
    waitSeconds: 20,
  });
  log('large bodies in DynamoDB and in S3 (a local s3rver) ...');
  const largeBodies = await measureLargeBodies({
    dynamodbEndpoint: dynamo.endpoint,
    tables: costTables,
    shards: options.shards,
  });
  log('push delivery to a local HTTP target ...');
  const push = await measurePush({
    dynamodbEndpoint: dynamo.endpoint,
    tables: costTables,
    shards: options.shards,
  });
  const costs = costRows(capacity, costWork, largeBodies, push);
  await stopAll();

  log('shard model ...');
  const shards = shardModel();

  let bundles: Awaited<ReturnType<typeof measureBundles>> | undefined;
  if (!options.skipBundles) {
    log(`bundles and init time (${options.initRuns} fresh processes each) ...`);
    try {
      bundles = await measureBundles(options.initRuns);
    } catch (error) {
      log(`bundles: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  const cpu = cpus();
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine: {
      node: process.version,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      platform: platform(),
    },
    options,
    rows,
    capacity,
    fairness,
    costs: { rows: costs, measured: costWork },
    largeBodies,
    shards,
    schedule,
    ...(bundles ? { bundles } : {}),
    targets: checkTargets(rows, capacity, bundles),
  };

  console.log(`\n${throughputTable(report)}\n`);
  console.log(`${cpuTable(report)}\n`);
  console.log(`${capacityTable(report)}\n`);
  console.log(`${fairnessTable(fairness)}\n`);
  console.log(`${largeBodyTable(largeBodies)}\n`);
  console.log(`${pushTable(push)}\n`);
  console.log(`${costTable(costs)}\n`);
  console.log(`${priorityTable(priorities, options.shards)}\n`);
  console.log(`${shardTable(shards)}\n`);
  console.log(`${scheduleSpreadTable(schedule)}\n`);
  if (bundles) console.log(`${bundleTable(bundles, options.initRuns)}\n`);
  console.log(`${targetTable(report.targets)}\n`);

  const out = resolve(options.outDir);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify({ ...report, priorities, push }, null, 2)}\n`);
  writeFileSync(
    join(out, 'bench.txt'),
    `${fullText(report)}\n\n${priorityTable(priorities, options.shards)}\n\n${pushTable(push)}\n`,
  );
  writeFileSync(join(out, 'throughput.svg'), throughputSvg(report));
  writeFileSync(join(out, 'shards.svg'), shardsSvg(report));
  log(`wrote ${join(options.outDir, 'bench.json')}, bench.txt, throughput.svg and shards.svg`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = 0;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopAll();
  clearTimeout(watchdog);
}
