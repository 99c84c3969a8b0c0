import type { Clock } from '../functions/queue/clock';

/**
 * The service's clock for a chaos run, optionally running faster than real time: a queue's
 * retention is at least 60 s, and a short run must still see messages expire. Every party of
 * the run (service, workers, checks) reads this one clock, so leases, retention and the records
 * the checks compare are all in the same time base.
 */
export class ScaledClock implements Clock {
  private readonly origin = Date.now();

  constructor(readonly rate = 1) {
    if (!(rate >= 1)) throw new Error(`The clock rate must be at least 1, but ${rate} was given`);
  }

  now(): number {
    return Math.floor(this.origin + (Date.now() - this.origin) * this.rate);
  }

  /** Real milliseconds that make `serviceMs` pass on this clock. */
  realMs(serviceMs: number): number {
    return Math.max(0, serviceMs / this.rate);
  }

  /** Waits until `serviceMs` have passed on this clock. */
  sleep(serviceMs: number, signal?: AbortSignal): Promise<void> {
    return sleepReal(this.realMs(serviceMs), signal);
  }
}

/** Waits real milliseconds; resolves early (without error) when the signal aborts. */
export function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
