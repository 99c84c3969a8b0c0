import type { Command } from 'commander';
import type { MinuteStats } from '../../functions/dialects/rest/client-types';
import { messageStateLabels } from '../../functions/dialects/rest/message-states';
import { contextOf, integer } from '../context';
import { queuePath } from '../http-client';
import { sparkline, table } from '../output';

type Metric = Exclude<keyof MinuteStats, 'minute'>;

const metrics: { key: Metric; label: string }[] = [
  { key: 'sent', label: 'sent' },
  { key: 'received', label: 'received' },
  { key: 'deleted', label: 'deleted' },
  { key: 'deadLettered', label: 'dead-lettered' },
  { key: 'redriven', label: 'redriven' },
  ...(['visible', 'inFlight'] as const).map((key) => ({
    key,
    label: `${messageStateLabels[key].toLowerCase()} (sampled)`,
  })),
];

/** `stats`: per-minute activity kept by the service; sparklines by default, a table with --table. */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats <queue>')
    .description('messages sent, received, deleted, dead-lettered per minute, and depth')
    .option('-m, --minutes <n>', 'how many minutes back, 1..1440', integer('--minutes', 1, 1440), 60)
    .option('-t, --table', 'one row per minute instead of sparklines')
    .action(async (queue: string, options: { minutes: number; table?: boolean }, command: Command) => {
      const { client, out } = await contextOf(command);
      const stats = await client.get<{ name: string; minutes: MinuteStats[] }>(`${queuePath(queue)}/stats`, {
        minutes: options.minutes,
      });
      out.result(stats, () =>
        options.table ? perMinute(stats.minutes) : summary(stats.minutes, options.minutes),
      );
    });
}

function summary(minutes: MinuteStats[], span: number): string {
  const rows = metrics.map(({ key, label }) => {
    const values = minutes.map((m) => m[key]);
    const known = values.filter((v): v is number => v !== undefined);
    const depth = key === 'visible' || key === 'inFlight';
    return {
      label,
      // Depth is a level, sampled once a minute by the sweeper: its last sample says more than a sum.
      total:
        known.length === 0 ? '-' : depth ? `last ${known.at(-1)}` : String(known.reduce((a, b) => a + b, 0)),
      line: sparkline(values),
    };
  });
  return `Last ${span} minute${span === 1 ? '' : 's'} (oldest left):\n${table(rows, [
    { header: '', value: (r) => r.label },
    { header: 'TOTAL', value: (r) => r.total, align: 'right' },
    { header: 'PER MINUTE', value: (r) => r.line },
  ])}`;
}

function perMinute(minutes: MinuteStats[]): string {
  return table(minutes, [
    { header: 'MINUTE (UTC)', value: (m) => m.minute.slice(0, 16).replace('T', ' ') },
    ...metrics.map(({ key, label }) => ({
      header: label.replace(' (sampled)', '').toUpperCase(),
      value: (m: MinuteStats) => m[key] ?? '',
      align: 'right' as const,
    })),
  ]);
}
