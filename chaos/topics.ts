import { performance } from 'node:perf_hooks';
import { DynamoQueueStore } from '../functions/store/queue-store';
import { DynamoTopicStore } from '../functions/store/topic-store';
import { sweepOutbox } from '../functions/topics/sweep';
import { readQueue } from './audit';
import { sleepReal } from './clock';
import type { ChaosConfig } from './config';
import { startChaosHook } from './http-hook';
import { call, rest } from './rest-calls';
import { startScenarioService } from './service';
import { ServiceLog } from './service-log';

/**
 * The topic scenario: publishes to one topic with 5 queue subscriptions (filter policies on
 * attributes and on the body, raw and enveloped delivery) through the REST dialect while every
 * DynamoDB call of the service may fail as in the queue scenario, with the outbox sweeper running
 * throughout (its grace period cut to 3 s, so it races publishers still delivering). Each
 * publish attempt carries its own id in the body; at the end every queue is read straight from
 * the table and, for every acknowledged publish, each subscription whose filter matches (decided
 * here, independently of the service) must hold it exactly once and no other queue any copy.
 */
interface Attempt {
  id: string;
  fields: { kind: string; amount: number; region: string };
  acknowledged: boolean;
  matched?: string[];
}

/** The subscriptions, each with its policy and the same rule written here as the oracle. */
const subscriptions = [
  { name: 'all', raw: true, policy: undefined, wants: () => true },
  {
    name: 'orders',
    raw: true,
    policy: { kind: ['order'] },
    wants: (f: Attempt['fields']) => f.kind === 'order',
  },
  {
    name: 'big',
    raw: true,
    policy: { amount: [{ numeric: ['>=', 500] }] },
    wants: (f: Attempt['fields']) => f.amount >= 500,
  },
  {
    name: 'eu',
    raw: true,
    scope: 'body' as const,
    policy: { region: ['eu'] },
    wants: (f: Attempt['fields']) => f.region === 'eu',
  },
  {
    name: 'audit',
    raw: false,
    policy: { kind: [{ prefix: 'ref' }] },
    wants: (f: Attempt['fields']) => f.kind.startsWith('ref'),
  },
];

export interface TopicChaosResult {
  publishes: number;
  attempts: number;
  acknowledged: number;
  deliveriesExpected: number;
  deliveriesFound: number;
  violations: string[];
  seconds: number;
}

export async function runTopicChaos(
  config: ChaosConfig,
  options: { dynamodbEndpoint: string; log?: (line: string) => void },
): Promise<TopicChaosResult> {
  const { log, runId, tables, faults, service } = await startScenarioService(
    'topics',
    config.faults,
    options,
  );
  const started = performance.now();
  const violations: string[] = [];
  const hook = await startChaosHook(0.2);
  // Retryable failures are logged as WARN and expected here; an ERROR line is a finding.
  const serviceLog = new ServiceLog();
  serviceLog.capture();
  try {
    faults.setEnabled(false);
    const topic = `chaos-topic-${runId}`;
    await rest(service.url, 'POST', '/topics', { name: topic });
    const subscriptionIds = new Map<string, string>();
    for (const s of subscriptions) {
      const queue = `${topic}-${s.name}`;
      await rest(service.url, 'POST', '/queues', { name: queue });
      const created = await rest(service.url, 'POST', `/topics/${topic}/subscriptions`, {
        protocol: 'queue',
        endpoint: queue,
        rawDelivery: s.raw,
        ...(s.policy ? { filterPolicy: s.policy } : {}),
        ...(s.scope ? { filterPolicyScope: s.scope } : {}),
      });
      subscriptionIds.set((created as { id: string }).id, s.name);
    }
    // The http subscriber: reviews only, 20% of its notifications answered 500 and retried every
    // second; the subscription's dead-letter queue catches any whose 20 retries all fail.
    await rest(service.url, 'POST', '/queues', { name: `${topic}-hook-dlq` });
    const hookSubscription = (await rest(service.url, 'POST', `/topics/${topic}/subscriptions`, {
      protocol: 'http',
      endpoint: hook.url,
      filterPolicy: { kind: ['review'] },
      deadLetterQueue: `${topic}-hook-dlq`,
      retryPolicy: { numRetries: 20, minDelaySeconds: 1, maxDelaySeconds: 1 },
    })) as { id: string };
    await confirmed(service.url, topic, hookSubscription.id);
    // The sweeper may take an entry 3 s after it was written, while its publisher may still be at it.
    service.runtime.topics.outboxGraceMs = 3_000;
    faults.setEnabled(true);
    log(`topic ${topic} with ${subscriptions.length} subscriptions, faults on`);

    const stop = new AbortController();
    const sweeper = (async () => {
      while (!stop.signal.aborted) {
        await sweepOutbox(service.runtime.topics, { budgetMs: 5_000 }).catch(() => undefined);
        await sleepReal(500, stop.signal).catch(() => undefined);
      }
    })();

    const attempts: Attempt[] = [];
    let next = 0;
    const publisher = async () => {
      for (let n = next++; n < config.topicPublishes; n = next++) {
        const fields = {
          kind: ['order', 'refund', 'review'][n % 3]!,
          amount: (n * 37) % 1000,
          region: ['eu', 'us', 'ap'][Math.floor(n / 3) % 3]!,
        };
        // A failed publish is retried as a new attempt (its own id): the failed one may have been
        // applied, and then it must be delivered at most once too.
        for (let retry = 0; retry < 20; retry++) {
          const attempt: Attempt = { id: `a-${n}-${retry}`, fields, acknowledged: false };
          attempts.push(attempt);
          const response = await call(service.url, 'POST', `/topics/${topic}/messages`, {
            body: JSON.stringify({ attempt: attempt.id, region: fields.region }),
            attributes: {
              kind: { dataType: 'String', stringValue: fields.kind },
              amount: { dataType: 'Number', stringValue: String(fields.amount) },
            },
          });
          if (response.status === 201) {
            attempt.acknowledged = true;
            attempt.matched = (response.body as { matched: string[] }).matched;
            break;
          }
          if (response.status < 500 && response.status !== 429 && response.status !== 0) {
            violations.push(
              `publish ${attempt.id} refused: ${response.status} ${JSON.stringify(response.body)}`,
            );
            break;
          }
          await sleepReal(50);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, publisher));
    log(
      `publishing done: ${attempts.filter((a) => a.acknowledged).length} acknowledged of ${attempts.length} attempts`,
    );

    // Wait for the outbox to empty (the sweeper finishing deliveries that failed), faults still on.
    const outbox = new DynamoTopicStore({ client: service.cleanClient, table: tables.messages });
    const deadline = performance.now() + config.drainSeconds * 1000;
    for (;;) {
      const left = await outbox.listStaleOutbox(Number.MAX_SAFE_INTEGER, 1_000);
      if (left.length === 0) break;
      if (performance.now() > deadline) {
        violations.push(`${left.length} outbox entries still undelivered when the drain time ran out`);
        break;
      }
      await sleepReal(1_000);
    }
    stop.abort();
    await sweeper;
    faults.setEnabled(false);

    // Read every queue straight from the table: attempt id -> copies, per subscription.
    const queues = new DynamoQueueStore({ client: service.cleanClient, tables });
    const copies = new Map<string, Map<string, number>>();
    let found = 0;
    for (const s of subscriptions) {
      const { account, region } = service.runtime;
      const record = await queues.getQueue({ account, region, name: `${topic}-${s.name}` });
      const perAttempt = new Map<string, number>();
      for (const message of (await readQueue(service.cleanClient, tables, record!)).values()) {
        const body = s.raw ? message.body : (JSON.parse(message.body) as { Message: string }).Message;
        const id = (JSON.parse(body) as { attempt: string }).attempt;
        perAttempt.set(id, (perAttempt.get(id) ?? 0) + 1);
        found++;
      }
      copies.set(s.name, perAttempt);
    }

    let expected = 0;
    for (const attempt of attempts) {
      const matchedNames = new Set((attempt.matched ?? []).map((id) => subscriptionIds.get(id)));
      for (const s of subscriptions) {
        const count = copies.get(s.name)?.get(attempt.id) ?? 0;
        const wanted = s.wants(attempt.fields);
        if (attempt.acknowledged && wanted) expected++;
        if (attempt.acknowledged && wanted && count !== 1) {
          violations.push(
            `${count === 0 ? 'lost' : `duplicated (${count} copies)`}: ${attempt.id} in ${s.name}`,
          );
        }
        if (!attempt.acknowledged && count > 1) {
          violations.push(`duplicated (${count} copies) unacknowledged ${attempt.id} in ${s.name}`);
        }
        if (!wanted && count > 0) violations.push(`delivered against the filter: ${attempt.id} in ${s.name}`);
        if (attempt.acknowledged && wanted !== matchedNames.has(s.name)) {
          violations.push(`Publish answered matched=${!wanted} for ${s.name} on ${attempt.id}`);
        }
      }
    }
    // The http subscriber: at least once (SNS's promise for http), never against its filter.
    const { account, region } = service.runtime;
    const hookDlq = await queues.getQueue({ account, region, name: `${topic}-hook-dlq` });
    const deadLettered = new Set<string>();
    for (const message of (await readQueue(service.cleanClient, tables, hookDlq!)).values()) {
      deadLettered.add(
        (JSON.parse((JSON.parse(message.body) as { Message: string }).Message) as { attempt: string })
          .attempt,
      );
    }
    let hookExpected = 0;
    let hookRepeats = 0;
    for (const attempt of attempts) {
      const wanted = attempt.fields.kind === 'review';
      const count = hook.taken.get(attempt.id) ?? 0;
      if (count > 1) hookRepeats += count - 1;
      if (attempt.acknowledged && wanted) {
        hookExpected++;
        if (count === 0 && !deadLettered.has(attempt.id))
          violations.push(`lost: ${attempt.id} at the http subscriber`);
        if (!(attempt.matched ?? []).includes(hookSubscription.id)) {
          violations.push(`Publish answered matched=false for the http subscriber on ${attempt.id}`);
        }
      }
      if (!wanted && count > 0)
        violations.push(`delivered against the filter: ${attempt.id} at the http subscriber`);
    }
    log(
      `http subscriber: ${hookExpected} owed, ${hook.taken.size} taken (${hookRepeats} repeats), ${hook.failed} answered 500, ${deadLettered.size} dead-lettered`,
    );
    for (const line of serviceLog.unexpected) violations.push(`unexpected failure: ${line.slice(0, 300)}`);
    return {
      publishes: config.topicPublishes,
      attempts: attempts.length,
      acknowledged: attempts.filter((a) => a.acknowledged).length,
      deliveriesExpected: expected,
      deliveriesFound: found,
      violations,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await service.close();
    await hook.close();
    serviceLog.release();
  }
}

/** Waits (up to 10 s) until the http subscriber has confirmed its subscription. */
async function confirmed(url: string, topic: string, id: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { subscriptions } = (await rest(url, 'GET', `/topics/${topic}/subscriptions`)) as {
      subscriptions: { id: string; pendingConfirmation: boolean }[];
    };
    if (subscriptions.some((s) => s.id === id && !s.pendingConfirmation)) return;
    await sleepReal(100);
  }
  throw new Error('the http subscriber did not confirm its subscription');
}

export function formatTopicReport(result: TopicChaosResult): string {
  return [
    `topics: ${result.publishes} publishes to 5 subscriptions (${result.attempts} attempts, ${result.acknowledged} acknowledged) in ${result.seconds.toFixed(1)} s`,
    `  deliveries owed to matching subscriptions ${result.deliveriesExpected}, copies found ${result.deliveriesFound} (copies of unacknowledged attempts included)`,
    `  violations: ${result.violations.length}`,
    ...result.violations.slice(0, 20).map((v) => `    ${v}`),
  ].join('\n');
}
