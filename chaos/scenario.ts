import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { QueueRecord } from '../functions/queue/model';
import { ReceiptHandleCodec } from '../functions/queue/receipt-handle';
import { DynamoQueueStore } from '../functions/store/queue-store';
import { tableNames } from '../functions/store/table-layout';
import { countStored, readQueue } from './audit';
import { type CheckResult, runChecks } from './checks';
import { checkCounts } from './checks/counts';
import { violation } from './checks/types';
import { createQueueClient } from './clients';
import { ScaledClock, sleepReal } from './clock';
import type { ChaosConfig } from './config';
import { FaultInjector, type FaultStats } from './faults';
import { Ledger } from './ledger';
import { StorageOracle } from './oracle';
import { createQueues } from './queues';
import { startChaosService } from './service';
import { ServiceLog } from './service-log';
import { runConsumer } from './workers/consumer';
import { runProducer } from './workers/producer';
import { defaultRetry } from './workers/retry';
import { runScheduled } from './workers/scheduler';
import { runSweeper, type SweeperStats } from './workers/sweeper';

/**
 * One chaos run: a fresh set of tables, three queues (work, its dead-letter queue, and a queue
 * with 60 s retention that the run outlives), producers, misbehaving consumers and the sweeper
 * at once while DynamoDB calls fail; then everything stops, the final state is read without
 * faults, and the checks compare it with what every party saw.
 */
export interface ChaosResult {
  config: ChaosConfig;
  checks: CheckResult;
  ledger: Ledger;
  faults: FaultStats;
  sweeper: SweeperStats;
  serviceLog: ServiceLog;
  /** Real seconds: producing, and the whole run until everything stopped. */
  seconds: { producing: number; total: number };
  /** Messages left when the drain time ran out (0 when drained). */
  undrained: number;
}

export interface RunOptions {
  dynamodbEndpoint: string;
  log?: (line: string) => void;
}

export async function runChaos(config: ChaosConfig, options: RunOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const clock = new ScaledClock(config.clockRate);
  const faults = new FaultInjector(config.faults);
  const oracle = new StorageOracle(clock);
  const runId = randomBytes(3).toString('hex');
  const tables = tableNames(`chaos-${runId}-`);
  const secret = randomBytes(32).toString('base64url');
  const service = await startChaosService({
    dynamodbEndpoint: options.dynamodbEndpoint,
    tables,
    receiptHandleSecret: secret,
    clock,
    faults,
    oracle,
    shardCount: config.shards,
  });
  const serviceLog = new ServiceLog();
  serviceLog.capture();
  try {
    faults.setEnabled(false);
    const queues = await createQueues(service.url, runId, config);
    const store = new DynamoQueueStore({ client: service.cleanClient, tables });
    const { account, region } = service.runtime;
    const record = async (name: string) => (await store.getQueue({ account, region, name }))!;
    const main = await record(queues.main);
    const deadLetter = await record(queues.deadLetter);
    const retention = await record(queues.retention);
    const codec = new ReceiptHandleCodec(secret);
    const tokenOf = (queue: QueueRecord) => (handle: string) => {
      try {
        return codec.decode(handle, queue.id).leaseToken;
      } catch {
        return undefined;
      }
    };
    faults.setEnabled(true);
    log(`service ${service.url}, queues ${queues.main} (+ -dlq, -retention), faults on`);

    const ledger = new Ledger();
    const stop = new AbortController();
    // Every waiting consumer listens on it: more than the default 10 is expected.
    setMaxListeners(1_000, stop.signal);
    const startedAt = performance.now();
    const client = (index: number, queue: string) =>
      createQueueClient(config.dialects[index % config.dialects.length]!, service.url, account, queue);
    const sweeper = runSweeper(service.runtime.queue, clock, config.sweepEverySeconds, stop.signal);
    const common = { ledger, clock, retry: defaultRetry };
    const consumers = Array.from({ length: config.consumers }, (_, i) =>
      runConsumer({
        ...common,
        name: `c${i}`,
        client: client(i, queues.main),
        queue: queues.main,
        config,
        tokenOf: tokenOf(main),
        signal: stop.signal,
      }),
    );
    // The retention queue: a few messages, a consumer that mostly crashes, and time enough to expire.
    const retentionSent = runProducer({
      ...common,
      name: 'r',
      client: client(1, queues.retention),
      queue: queues.retention,
      count: config.retention.messages,
      poisonRate: 0,
      largeBodyRate: 0,
    });
    consumers.push(
      runConsumer({
        ...common,
        name: 'rc',
        client: client(2, queues.retention),
        queue: queues.retention,
        config: {
          ...config,
          visibilitySeconds: 1,
          longVisibilityRate: 0,
          // Mostly crashing, so that most of these messages are still there when their retention ends.
          behaviour: { crash: 0.92, stall: 0, lateDelete: 0, batchDelete: 0 },
        },
        tokenOf: tokenOf(retention),
        signal: stop.signal,
      }),
    );
    // Scheduled and cancelled messages on a queue of their own (workers/scheduler.ts).
    const scheduled = runScheduled({
      url: service.url,
      queue: `${queues.main}-sched`,
      clock,
      count: Math.max(30, Math.floor(config.messages / 10)),
      log,
    });
    const producers = Array.from({ length: config.producers }, (_, i) =>
      runProducer({
        ...common,
        name: `p${i}`,
        client: client(i, queues.main),
        queue: queues.main,
        count:
          Math.floor(config.messages / config.producers) + (i < config.messages % config.producers ? 1 : 0),
        poisonRate: config.poisonRate,
        largeBodyRate: config.largeBodyRate,
      }),
    );
    await Promise.all([...producers, retentionSent]);
    const scheduledResult = await scheduled;
    const producing = (performance.now() - startedAt) / 1000;
    log(
      `producers done in ${producing.toFixed(1)} s: ${ledger.acknowledgedSends().length} sends acknowledged`,
    );

    const lastRetentionSend = Math.max(
      ...ledger.acknowledgedSends(queues.retention).map((s) => s.endedAt ?? s.startedAt),
    );
    const retentionOver = lastRetentionSend + config.retention.retentionSeconds * 1000 + 3_000;
    const undrained = await drain(
      config,
      clock,
      retentionOver,
      async () => countStored(service.cleanClient, tables, await record(queues.main)),
      log,
    );
    stop.abort();
    await Promise.all(consumers);
    const sweeperStats = await sweeper;
    faults.setEnabled(false);
    const total = (performance.now() - startedAt) / 1000;

    const auditedAt = clock.now();
    const final = {
      // Records read now: they list the priorities the run's messages used.
      main: await readQueue(service.cleanClient, tables, await record(queues.main)),
      deadLetter: await readQueue(service.cleanClient, tables, await record(queues.deadLetter)),
      retention: await readQueue(service.cleanClient, tables, await record(queues.retention)),
    };
    const checks = runChecks({ ledger, oracle, main, deadLetter, retention, final, auditedAt });
    const counted = await checkCounts(
      service.url,
      [
        { name: queues.main, stored: final.main },
        { name: queues.deadLetter, stored: final.deadLetter },
        { name: queues.retention, stored: final.retention },
      ],
      auditedAt,
      () => clock.now(),
    );
    for (const line of counted.figures) log(`counts ${line}`);
    checks.violations.push(...counted.violations);
    for (const line of serviceLog.unexpected) checks.violations.push(violation('unexpected failure', line));
    checks.violations.push(...scheduledResult.violations);
    return {
      config,
      checks,
      ledger,
      faults: faults.stats,
      sweeper: sweeperStats,
      serviceLog,
      seconds: { producing, total },
      undrained,
    };
  } finally {
    await service.close();
    serviceLog.release();
  }
}

/**
 * Waits until the work queue is empty (every message deleted or dead-lettered) and the
 * retention queue's messages are past their retention, or until the drain time runs out.
 * Returns how many messages were still stored in the work queue.
 */
async function drain(
  config: ChaosConfig,
  clock: ScaledClock,
  retentionOver: number,
  stored: () => Promise<number>,
  log: (line: string) => void,
): Promise<number> {
  const deadline = performance.now() + config.drainSeconds * 1000;
  for (let round = 0; ; round++) {
    const left = await stored();
    if (left === 0 && clock.now() >= retentionOver) return 0;
    if (performance.now() > deadline) {
      log(`drain time over with ${left} messages still stored`);
      return left;
    }
    if (round % 10 === 0) log(`draining: ${left} messages stored`);
    await sleepReal(1_000);
  }
}
