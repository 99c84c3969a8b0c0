import type { Command } from 'commander';
import { contextOf } from '../context';
import { UsageError } from '../errors';
import { queuePath } from '../http-client';

/**
 * Scheduled delivery from the command line: `dq send --at <time>` / `--in <duration>` (options of
 * send, read here) and `dq cancel <queue> <messageId>`. Both options become the service's
 * `deliverAt`, which standard and FIFO queues accept alike; `--in` is counted from this machine's
 * clock.
 */
const units: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** `90s`, `10m`, `2h`, `3d` (or plain seconds) in seconds. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new UsageError(`--in must be a duration such as 90s, 10m, 2h or 3d, but ${text} was given`);
  }
  return Number(match[1]) * units[match[2] || 's']!;
}

/** The `deliverAt` of `--at` or `--in`, if either was given (never both, nor with --delay). */
export function deliverAtOf(options: { at?: string; in?: string; delay?: number }): string | undefined {
  const given = [options.at && '--at', options.in && '--in', options.delay !== undefined && '--delay'].filter(
    Boolean,
  );
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined: choose one`);
  if (options.in !== undefined) {
    return new Date(Date.now() + durationSeconds(options.in) * 1000).toISOString();
  }
  if (options.at !== undefined) {
    // The service checks the instant (a zone is required); a date alone is refused there with the rule.
    return options.at;
  }
  return undefined;
}

export function registerScheduleCommands(program: Command): void {
  program
    .command('cancel <queue> <messageId>')
    .description('cancel a scheduled message that is not yet deliverable (it is never delivered)')
    .action(async (queue: string, messageId: string, _options: unknown, command: Command) => {
      const { client, out } = await contextOf(command);
      await client.delete(`${queuePath(queue)}/messages/scheduled/${encodeURIComponent(messageId)}`);
      out.result({ cancelled: messageId }, () => `Cancelled ${messageId} in ${queue}`);
    });
}
