import { schedules } from '../../functions/routes';

/**
 * Runs the scheduled functions on timers, as EventBridge does when deployed, by calling the same
 * handlers. A run never overlaps the previous one of the same function.
 */
export interface ScheduleOptions {
  /** Seconds between runs, by function name; defaults to each schedule's localEverySeconds. */
  everySeconds?: Partial<Record<string, number>>;
  log?: (line: string) => void;
}

export function startSchedules(options: ScheduleOptions = {}): () => void {
  const timers = schedules.map((schedule) => {
    let running = false;
    const seconds = options.everySeconds?.[schedule.function] ?? schedule.localEverySeconds;
    return setInterval(async () => {
      if (running) return;
      running = true;
      try {
        const module = await import(`../../functions/handlers/${schedule.function}.ts`);
        await module.handler(
          { source: 'local.schedule' },
          { getRemainingTimeInMillis: () => seconds * 1000 + 10_000 },
        );
      } catch (error) {
        options.log?.(
          `${schedule.function} run failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        running = false;
      }
    }, seconds * 1000);
  });
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
