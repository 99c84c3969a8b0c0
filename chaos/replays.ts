// The archive store, as the functions that read archives register it (the service alone does not).
import '../functions/handlers/with-archive-store';
import { performance } from 'node:perf_hooks';
import { runReplays } from '../functions/queue/archive/run-replays';
import { DynamoQueueStore } from '../functions/store/queue-store';
import { readQueue } from './audit';
import { sleepReal } from './clock';
import type { ChaosConfig } from './config';
import { call, rest } from './rest-calls';
import { startScenarioService } from './service';

/**
 * The replay scenario: a queue with an archive gets 200 messages (without faults, so the archive's
 * content is known), then a replay of that range into another queue is started and run slice after
 * slice, as the sweeper runs it, while every DynamoDB call of the service may fail (throttling,
 * timeouts, conflicts, as in the queue scenario). At the end the destination is read straight from
 * the table: every archived message must be there exactly once, and nothing else.
 */
const messages = 200;

export interface ReplayChaosResult {
  archived: number;
  replayed: number;
  found: number;
  sliceFailures: number;
  faultsInjected: number;
  status: string;
  violations: string[];
  seconds: number;
}

export async function runReplayChaos(
  config: ChaosConfig,
  options: { dynamodbEndpoint: string; log?: (line: string) => void },
): Promise<ReplayChaosResult> {
  const { log, runId, tables, faults, service } = await startScenarioService(
    'replays',
    config.faults,
    options,
  );
  const started = performance.now();
  const violations: string[] = [];
  let sliceFailures = 0;
  try {
    faults.setEnabled(false);
    const source = `chaos-replay-${runId}`;
    const destination = `${source}-copy`;
    await rest(service.url, 'POST', '/queues', { name: source, archiveRetentionSeconds: 3600 });
    await rest(service.url, 'POST', '/queues', { name: destination });
    const from = new Date(Date.now() - 1_000).toISOString();
    for (let i = 0; i < messages; i += 10) {
      const batch = Array.from({ length: 10 }, (_, k) => ({ id: `m${k}`, body: `replay-${i + k}` }));
      await rest(service.url, 'POST', `/queues/${source}/messages`, { messages: batch });
    }
    // What the archive holds, read through the service without faults: the oracle.
    const archived = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = (await rest(
        service.url,
        'GET',
        `/queues/${source}/archive?limit=100&from=${from}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
      )) as { messages: { body: string }[]; nextToken?: string };
      for (const m of page.messages) archived.add(m.body);
      nextToken = page.nextToken;
    } while (nextToken);
    if (archived.size !== messages) violations.push(`archive holds ${archived.size} of ${messages} sent`);
    const to = new Date().toISOString();
    log(`replay scenario: ${archived.size} archived; replaying under faults`);

    faults.setEnabled(true);
    const taskId = await startReplay(service.url, source, {
      from,
      to,
      destination,
      maxMessagesPerSecond: 500,
    });
    let task: { status: string; replayed: number } = { status: 'RUNNING', replayed: 0 };
    const deadline = performance.now() + 180_000;
    while ((task.status === 'RUNNING' || task.status === 'CANCELLING') && performance.now() < deadline) {
      try {
        await runReplays(service.runtime.queue, { budgetMs: 500 });
      } catch {
        // A slice that failed on a fault saved nothing past its last progress: the next one goes on.
        sliceFailures++;
      }
      const read = await call(service.url, 'GET', `/queues/${source}/replays/${taskId}`);
      if (read.status === 200) task = read.body as typeof task;
      await sleepReal(50);
    }
    faults.setEnabled(false);
    if (task.status !== 'COMPLETED') violations.push(`replay ended ${task.status}, not COMPLETED`);

    const queues = new DynamoQueueStore({ client: service.cleanClient, tables });
    const { account, region } = service.runtime;
    const record = await queues.getQueue({ account, region, name: destination });
    const copies = new Map<string, number>();
    let found = 0;
    for (const message of (await readQueue(service.cleanClient, tables, record!)).values()) {
      copies.set(message.body, (copies.get(message.body) ?? 0) + 1);
      found++;
    }
    for (const body of archived) {
      const n = copies.get(body) ?? 0;
      if (n !== 1) violations.push(`${body}: ${n} copies in the destination (want exactly 1)`);
    }
    for (const body of copies.keys()) {
      if (!archived.has(body)) violations.push(`${body}: in the destination but not in the archived range`);
    }
    if (task.replayed !== archived.size)
      violations.push(`task says ${task.replayed} replayed, the archive held ${archived.size}`);
    return {
      archived: archived.size,
      replayed: task.replayed,
      found,
      sliceFailures,
      faultsInjected: faults.totalInjected(),
      status: task.status,
      violations,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    faults.setEnabled(false);
    await service.close();
  }
}

/** Starts the replay under faults: a start whose reply was lost may have created it, so look before retrying. */
async function startReplay(url: string, source: string, request: Record<string, unknown>): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const started = await call(url, 'POST', `/queues/${source}/replays`, request);
    if (started.status === 202) return (started.body as { taskId: string }).taskId;
    const listed = await call(url, 'GET', `/queues/${source}/replays`);
    const existing = (listed.body as { replays?: { taskId: string }[] } | undefined)?.replays?.[0];
    if (listed.status === 200 && existing) return existing.taskId;
    await sleepReal(100);
  }
  throw new Error('could not start the replay in 50 attempts');
}

export function formatReplayReport(result: ReplayChaosResult): string {
  return [
    `replay scenario (${result.seconds.toFixed(1)} s):`,
    `  archived ${result.archived}, replayed ${result.replayed} (${result.status}), found in the destination ${result.found}; slices failed on faults ${result.sliceFailures}, faults injected ${result.faultsInjected}`,
    `  violations: ${result.violations.length}`,
    ...result.violations.slice(0, 20).map((v) => `    ${v}`),
  ].join('\n');
}
