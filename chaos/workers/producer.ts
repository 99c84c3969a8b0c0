import type { QueueClient, SendEntry } from '../clients/queue-client';
import type { ScaledClock } from '../clock';
import type { Ledger, SendAttempt } from '../ledger';
import { backoff, type RetryPolicy } from './retry';

/**
 * A producer sends its share of messages, alone or in batches of up to 10. A message whose send
 * is not acknowledged is sent again as a new attempt (a new body key), exactly as a client that
 * cannot tell whether its request landed must do: so a refused send may still leave a stored
 * copy, which the checks count as an unacknowledged delivery, not as a loss.
 */
export interface ProducerOptions {
  name: string;
  client: QueueClient;
  queue: string;
  count: number;
  poisonRate: number;
  largeBodyRate: number;
  ledger: Ledger;
  clock: ScaledClock;
  retry: RetryPolicy;
}

interface Pending {
  sequence: number;
  attempt: number;
  poison: boolean;
  large: boolean;
  /** Half the messages carry a priority 1..9: they must be neither lost nor duplicated either. */
  priority?: number;
}

export async function runProducer(options: ProducerOptions): Promise<void> {
  const { ledger, client } = options;
  for (let sequence = 0; sequence < options.count; ) {
    // About a third of the calls are single sends, the rest batches.
    const size = Math.random() < 0.35 ? 1 : 2 + Math.floor(Math.random() * 9);
    let pending: Pending[] = [];
    for (let i = 0; i < size && sequence < options.count; i++, sequence++) {
      pending.push({
        sequence,
        attempt: 0,
        poison: Math.random() < options.poisonRate,
        large: Math.random() < options.largeBodyRate,
        ...(Math.random() < 0.5 ? { priority: 1 + Math.floor(Math.random() * 9) } : {}),
      });
    }
    for (let round = 1; pending.length > 0 && round <= options.retry.attempts; round++) {
      if (round > 1) {
        ledger.retried('send');
        await backoff(options.retry, round);
      }
      pending = await sendRound(options, pending, client);
    }
    for (const p of pending) ledger.failed('send', `given up after ${p.attempt} attempts`);
  }
}

/** One call; returns the messages to send again. */
async function sendRound(
  options: ProducerOptions,
  pending: Pending[],
  client: QueueClient,
): Promise<Pending[]> {
  const { ledger, clock } = options;
  const attempts = new Map<string, { pending: Pending; attempt: SendAttempt }>();
  const entries: SendEntry[] = pending.map((p, index) => {
    p.attempt++;
    const key = `${options.name}-${p.sequence}.${p.attempt}`;
    const attempt: SendAttempt = {
      queue: options.queue,
      key,
      body: bodyFor(key, p),
      poison: p.poison,
      worker: options.name,
      dialect: client.dialect,
      startedAt: clock.now(),
    };
    ledger.attemptSend(attempt);
    const id = `e${index}`;
    attempts.set(id, { pending: p, attempt });
    return {
      id,
      body: attempt.body,
      ...tenantOf(p.sequence),
      ...(p.priority === undefined ? {} : { priority: p.priority }),
    };
  });
  let results: Awaited<ReturnType<QueueClient['send']>>;
  try {
    results = await client.send(entries);
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    ledger.failed('send', code);
    for (const { attempt } of attempts.values())
      Object.assign(attempt, { endedAt: clock.now(), failure: code });
    // A refused (non-retryable) send is a bug of this harness or the service: stop resending it.
    return (error as { retryable?: boolean }).retryable ? pending : [];
  }
  const again: Pending[] = [];
  for (const result of results) {
    const sent = attempts.get(result.id);
    if (!sent) continue;
    sent.attempt.endedAt = clock.now();
    if (result.messageId) {
      sent.attempt.messageId = result.messageId;
    } else {
      sent.attempt.failure = result.error?.code ?? 'unknown';
      ledger.failed('send entry', sent.attempt.failure);
      if (result.error?.retryable) again.push(sent.pending);
    }
  }
  return again;
}

/** `<key> <work|poison> <padding>`: the key identifies the attempt wherever the body shows up. */
function bodyFor(key: string, p: Pending): string {
  const padding = p.large ? 3_000 + Math.floor(Math.random() * 6_000) : 20 + Math.floor(Math.random() * 200);
  // Mixed scripts and an astral character, so encodings are exercised end to end.
  // Cut by code points: cutting an astral character in half would leave a forbidden lone surrogate.
  const filler = Array.from('chaos ✓ ünïcödé 𝄞 '.repeat(Math.ceil(padding / 16)))
    .slice(0, padding)
    .join('');
  return `${key} ${p.poison ? 'poison' : 'work'} ${filler}`;
}

/**
 * Fair queues: half the messages carry a tenant (a group id on the standard queue), one tenant
 * sending most of them, so some runs have a noisy group; none of that may lose a message.
 */
function tenantOf(sequence: number): { groupId?: string } {
  if (sequence % 2 === 0) return {};
  return { groupId: sequence % 3 === 0 ? `tenant-${1 + (sequence % 4)}` : 'tenant-big' };
}
