import { performance } from 'node:perf_hooks';
import { setPushRuntime, withPush } from '../functions/handlers/push-runtime';
import { DynamoQueueStore } from '../functions/store/queue-store';
import { moduleInvoker } from '../infra/local/module-invoker';
import { startPushLoop } from '../infra/local/push-loop';
import { readQueue } from './audit';
import { sleepReal } from './clock';
import type { ChaosConfig } from './config';
import { startChaosPushTarget } from './push-target';
import { call, rest } from './rest-calls';
import { startScenarioService } from './service';

/**
 * The push scenario: producers send through the REST dialect to a queue with a push consumer, a
 * real HTTP endpoint on loopback that refuses 20% of its batches (HTTP 500) and drops the answer
 * of 5% (processes the batch, then resets the connection or never answers), while every DynamoDB
 * call of the service may fail as in the queue scenario. Every send attempt carries its own id.
 * At the end the queue must be empty and every acknowledged attempt processed by the endpoint at
 * least once or found in the dead-letter queue: none lost. (Push is at least once, as Lambda's
 * event source mapping: a dropped answer means the batch comes back, so repeats are counted, not
 * violations.) Nothing is processed that was never sent.
 */
export interface PushChaosResult {
  messages: number;
  attempts: number;
  acknowledged: number;
  processed: number;
  repeats: number;
  deadLettered: number;
  batches: number;
  refused: number;
  dropped: number;
  violations: string[];
  seconds: number;
}

export async function runPushChaos(
  config: ChaosConfig,
  options: { dynamodbEndpoint: string; log?: (line: string) => void },
): Promise<PushChaosResult> {
  const { log, runId, tables, faults, service } = await startScenarioService('push', config.faults, options);
  // Consumers' own records through the clean client; receives and deletes through the faulty one.
  const push = withPush(service.runtime, {
    client: service.cleanClient,
    messagesTable: tables.messages,
    localModules: moduleInvoker(),
  });
  setPushRuntime(push);
  const target = await startChaosPushTarget({ failRate: 0.2, dropRate: 0.05 });
  const started = performance.now();
  const violations: string[] = [];
  let stopPush: (() => Promise<void>) | undefined;
  try {
    faults.setEnabled(false);
    const queue = `chaos-push-${runId}`;
    await rest(service.url, 'POST', '/queues', { name: `${queue}-dlq` });
    // A 2 s visibility timeout: the dispatcher's target timeout is 1 s, and a refused batch is
    // back 2 s later. 10 receives before the dead-letter queue: 10 failures in a row are rare.
    await rest(service.url, 'POST', '/queues', {
      name: queue,
      visibilityTimeoutSeconds: 2,
      deadLetterQueue: `${queue}-dlq`,
      maxReceiveCount: 10,
    });
    await rest(service.url, 'POST', `/queues/${queue}/consumers`, {
      target: { url: target.url },
      batchSize: 10,
      maximumConcurrency: 5,
    });
    stopPush = startPushLoop(push.push, { idleMs: 200 });
    faults.setEnabled(true);
    log(`push queue ${queue} with a consumer at ${target.url}, faults on`);

    const attempts: { id: string; acknowledged: boolean }[] = [];
    let next = 0;
    const producer = async () => {
      for (let n = next; n < config.pushMessages; n = next) {
        const count = Math.min(10, config.pushMessages - n);
        next += count;
        let pending = Array.from({ length: count }, (_, i) => n + i);
        // Entries that failed are sent again as new attempts (their own ids): a failed one may
        // have been stored all the same, and then it is owed too (counted, not required).
        for (let retry = 0; retry < 20 && pending.length > 0; retry++) {
          const batch = pending.map((m) => ({ id: `e${m}`, m, attempt: `p-${m}-${retry}` }));
          for (const entry of batch) attempts.push({ id: entry.attempt, acknowledged: false });
          const response = await call(service.url, 'POST', `/queues/${queue}/messages`, {
            messages: batch.map((e) => ({ id: e.id, body: JSON.stringify({ attempt: e.attempt }) })),
          });
          const ok = new Set(
            response.status === 200 || response.status === 201
              ? (response.body as { successful: { id: string }[] }).successful.map((s) => s.id)
              : [],
          );
          for (const entry of batch) {
            if (ok.has(entry.id)) attempts.find((a) => a.id === entry.attempt)!.acknowledged = true;
          }
          if (response.status >= 400 && response.status < 500 && response.status !== 429) {
            violations.push(`send refused: ${response.status} ${JSON.stringify(response.body)}`);
            break;
          }
          pending = batch.filter((e) => !ok.has(e.id)).map((e) => e.m);
          if (pending.length > 0) await sleepReal(50);
        }
      }
    };
    await Promise.all(Array.from({ length: config.producers }, producer));
    const acknowledged = attempts.filter((a) => a.acknowledged);
    log(`push sends done: ${acknowledged.length} acknowledged of ${attempts.length} attempts`);

    // Wait until the endpoint has processed every acknowledged attempt, or it is dead-lettered.
    const store = new DynamoQueueStore({ client: service.cleanClient, tables });
    const { account, region } = service.runtime;
    const deadLetters = async () => {
      const dlq = await store.getQueue({ account, region, name: `${queue}-dlq` });
      const ids = new Set<string>();
      for (const message of (await readQueue(service.cleanClient, tables, dlq!)).values()) {
        ids.add((JSON.parse(message.body) as { attempt: string }).attempt);
      }
      return ids;
    };
    const deadline = performance.now() + config.drainSeconds * 1000;
    let deadLettered = new Set<string>();
    for (;;) {
      deadLettered = await deadLetters();
      const left = acknowledged.filter((a) => !target.processed.has(a.id) && !deadLettered.has(a.id));
      if (left.length === 0) break;
      if (performance.now() > deadline) {
        for (const a of left.slice(0, 20))
          violations.push(`lost: ${a.id} neither processed nor dead-lettered`);
        if (left.length > 20) violations.push(`... and ${left.length - 20} more lost`);
        break;
      }
      await sleepReal(500);
    }
    // Then the queue empties: the last batches' deletes land (a dropped answer's batch comes back).
    const record = await store.getQueue({ account, region, name: queue });
    for (;;) {
      const remaining = (await readQueue(service.cleanClient, tables, record!)).size;
      if (remaining === 0) break;
      if (performance.now() > deadline + 30_000) {
        violations.push(`${remaining} messages still in the queue when the drain time ran out`);
        break;
      }
      await sleepReal(500);
    }
    faults.setEnabled(false);

    const sent = new Set(attempts.map((a) => a.id));
    let repeats = 0;
    for (const [id, count] of target.processed) {
      if (!sent.has(id)) violations.push(`processed but never sent: ${id}`);
      repeats += count - 1;
    }
    for (const id of deadLettered) {
      if (!sent.has(id)) violations.push(`dead-lettered but never sent: ${id}`);
    }
    log(
      `push target: ${target.batches} batches, ${target.refused} refused, ${target.reset} reset, ${target.hung} unanswered, ${target.processed.size} attempts processed (${repeats} repeats), ${deadLettered.size} dead-lettered`,
    );
    return {
      messages: config.pushMessages,
      attempts: attempts.length,
      acknowledged: acknowledged.length,
      processed: target.processed.size,
      repeats,
      deadLettered: deadLettered.size,
      batches: target.batches,
      refused: target.refused,
      dropped: target.reset + target.hung,
      violations,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await stopPush?.();
    await service.close();
    await target.close();
  }
}

export function formatPushReport(result: PushChaosResult): string {
  return [
    `push: ${result.messages} messages to a flaky HTTP consumer (${result.attempts} send attempts, ${result.acknowledged} acknowledged) in ${result.seconds.toFixed(1)} s`,
    `  ${result.batches} batches pushed, ${result.refused} refused (500), ${result.dropped} answers dropped; ${result.processed} attempts processed (${result.repeats} repeats), ${result.deadLettered} dead-lettered`,
    `  violations: ${result.violations.length}`,
    ...result.violations.slice(0, 20).map((v) => `    ${v}`),
  ].join('\n');
}
