import { performance } from 'node:perf_hooks';
import { type LatencySummary, Samples } from './stats';

/**
 * What every throughput row drives: one message lifecycle is send, receive (under a lease) and
 * delete. A target hides how (raw DynamoDB calls, the queue core, HTTP, an SQS client).
 */
export interface LifecycleTarget {
  send(body: string): Promise<void>;
  /** One message's receipt handle (or the raw row's lease), or undefined when none was received. */
  receive(): Promise<string | undefined>;
  delete(handle: string): Promise<void>;
}

export interface DriveOptions {
  messages: number;
  concurrency: number;
  bodyBytes: number;
  timeLimitMs: number;
}

export interface DriveResult {
  completed: number;
  elapsedMs: number;
  lifecyclesPerSecond: number;
  latency: { send: LatencySummary; receive: LatencySummary; delete: LatencySummary };
  /** Receive calls that returned nothing (another worker won the message, or none was visible). */
  emptyReceives: number;
  errors: number;
  firstError?: string;
  timedOut: boolean;
}

/** Receive attempts per lifecycle before the lifecycle counts as failed. */
const maxReceiveAttempts = 200;
/** A run whose errors exceed this many stops early: the numbers would mean nothing. */
const maxErrors = 50;

/** What several runs of one row add up to (rounds of a row are interleaved with other rows). */
export class Tally {
  readonly send = new Samples();
  readonly receive = new Samples();
  readonly delete = new Samples();
  completed = 0;
  elapsedMs = 0;
  emptyReceives = 0;
  errors = 0;
  firstError: string | undefined;
  timedOut = false;

  result(): DriveResult {
    return {
      completed: this.completed,
      elapsedMs: this.elapsedMs,
      lifecyclesPerSecond: this.elapsedMs > 0 ? (this.completed * 1000) / this.elapsedMs : 0,
      latency: { send: this.send.summary(), receive: this.receive.summary(), delete: this.delete.summary() },
      emptyReceives: this.emptyReceives,
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
      timedOut: this.timedOut,
    };
  }
}

/**
 * Runs `messages` lifecycles with `concurrency` workers. Each worker sends one message, receives
 * one (any: the queue decides which) and deletes it, so the queue never holds more than
 * `concurrency` messages and every row does the same work. Bounded by count and by time.
 */
export async function drive(
  target: LifecycleTarget,
  options: DriveOptions,
  tally: Tally = new Tally(),
): Promise<DriveResult> {
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const deadline = begin + options.timeLimitMs;
  const filler = 'x'.repeat(options.bodyBytes);

  const timed = async <T>(samples: Samples, call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await call();
    samples.add(performance.now() - t0);
    return result;
  };

  const worker = async (workerId: number) => {
    while (started < options.messages && errors < maxErrors) {
      if (performance.now() > deadline) {
        tally.timedOut = true;
        return;
      }
      const n = started++;
      try {
        // A unique prefix, then filler to the exact size (ASCII: bytes = characters).
        const body = `w${workerId}m${n}:${filler}`.slice(0, options.bodyBytes);
        await timed(tally.send, () => target.send(body));
        let handle: string | undefined;
        for (let attempt = 0; handle === undefined; attempt++) {
          if (attempt >= maxReceiveAttempts || performance.now() > deadline) {
            throw new Error(`no message received after ${attempt} attempts`);
          }
          handle = await timed(tally.receive, () => target.receive());
          if (handle === undefined) tally.emptyReceives++;
        }
        await timed(tally.delete, () => target.delete(handle!));
        tally.completed++;
      } catch (error) {
        errors++;
        tally.errors++;
        tally.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
  tally.elapsedMs += performance.now() - begin;
  return tally.result();
}
