import type { Command } from 'commander';
import type {
  ArchiveBrowseQuery,
  ArchivePage,
  Queue,
  Replay,
  ReplayList,
  ReplayRequest,
} from '../../functions/dialects/rest/client-types';
import { contextOf, integer, keyValue } from '../context';
import { CliError, exitCodes, UsageError } from '../errors';
import { followTask } from '../follow-task';
import { queuePath, type RestClient } from '../http-client';
import { type Output, oneLine, shortTime, table } from '../output';

/** A queue's archive: browse it by sent time, replay a range of it (with a progress bar), follow and cancel replays. */
export function registerArchiveCommands(program: Command): void {
  program
    .command('archive <queue>')
    .description('browse the archive of a queue (archiveRetentionSeconds > 0) by sent time, oldest first')
    .option('--from <time>', 'sent at or after: ISO 8601, or how long ago (30m, 2h, 7d)', time('--from'))
    .option('--to <time>', 'sent at or before: ISO 8601, or how long ago (default now)', time('--to'))
    .option('-n, --limit <n>', 'how many, 1..100', integer('--limit', 1, 100), 20)
    .option('-a, --attribute <name=value>', 'only messages with this String attribute value', keyValue)
    .option('--next-token <token>', 'continue a previous listing (give the same filters again)')
    .action(async (queue: string, options: BrowseOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const attribute = oneAttribute(options.attribute, 'archive');
      const page = await client.get<ArchivePage>(`${queuePath(queue)}/archive`, {
        from: options.from,
        to: options.to,
        limit: options.limit,
        attributeName: attribute?.[0],
        attributeValue: attribute?.[1],
        nextToken: options.nextToken,
      } satisfies Record<keyof ArchiveBrowseQuery, unknown>);
      // An empty page of a queue whose archive is off says how to turn it on (one more GET, only then).
      const off =
        page.messages.length === 0 && !out.json
          ? (await client.get<Queue>(queuePath(queue))).archiveRetentionSeconds === 0
          : false;
      out.result(page, () =>
        page.messages.length === 0
          ? off
            ? `${queue} keeps no archive; turn it on with: dq update ${queue} --archive-retention <seconds>`
            : `No archived messages in ${queue} in that range`
          : [
              table(page.messages, [
                { header: 'MESSAGE ID', value: (m) => m.messageId },
                { header: 'SENT', value: (m) => shortTime(m.sentAt) },
                { header: 'GROUP', value: (m) => m.groupId },
                { header: 'KEPT UNTIL', value: (m) => shortTime(m.archivedUntil) },
                { header: 'BODY', value: (m) => oneLine(m.body, 50) },
              ]),
              ...(page.nextToken
                ? [`More: dq archive ${queue} ${again(options)}--next-token ${page.nextToken}`]
                : []),
              `Replay a range with: dq replay ${queue} --from <time> --to <time> [--to-queue <name>] --wait`,
            ].join('\n'),
      );
    });

  const replay = program
    .command('replay')
    .description('replay a sent-time range of a queue’s archive as new messages (into it, or --to-queue)')
    .addHelpText(
      'after',
      '\n`dq replay <queue>` is short for `dq replay start <queue>`.\n' +
        'Examples:\n  dq replay orders --from 2h --wait\n' +
        '  dq replay orders --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --to-queue orders-audit --wait\n' +
        '  dq replay status orders\n  dq replay cancel orders <taskId>',
    );
  addStartOptions(replay.argument('[queue]', 'the queue whose archive is replayed')).action(
    async (queue: string | undefined, options: StartOptions, command: Command) => {
      if (!queue)
        throw new UsageError(
          'which queue?',
          'dq replay <queue> --from <time> [--wait]; see dq replay --help',
        );
      await start(command, queue, options);
    },
  );
  addStartOptions(replay.command('start <queue>').description('start a replay')).action(
    async (queue: string, options: StartOptions, command: Command) => start(command, queue, options),
  );

  replay
    .command('status <queue> [taskId]')
    .description('show the replays of a queue’s archive (the 10 most recent), or one replay')
    .option('--wait', 'follow the replay with a progress bar until it ends')
    .action(
      async (queue: string, taskId: string | undefined, options: { wait?: boolean }, command: Command) => {
        const { client, out } = await contextOf(command);
        const { replays } = await client.get<ReplayList>(`${queuePath(queue)}/replays`);
        if (taskId || options.wait) {
          const id = taskId ?? replays[0]?.taskId;
          if (!id)
            throw new CliError(
              `no replay of ${queue}`,
              exitCodes.refused,
              `start one: dq replay ${queue} --from 1h`,
            );
          let task = await getReplay(client, queue, id);
          if (options.wait) task = await follow(client, out, queue, task);
          out.result(task, () => describeReplay(task));
          return;
        }
        out.result({ replays }, () =>
          replays.length === 0
            ? `No replays of ${queue}`
            : table(replays, [
                { header: 'TASK ID', value: (t) => t.taskId },
                { header: 'STATUS', value: (t) => t.status },
                { header: 'REPLAYED', value: (t) => `${t.replayed}/${t.toReplay}`, align: 'right' },
                { header: 'TO', value: (t) => t.destination },
                { header: 'RANGE', value: (t) => `${shortTime(t.from)} .. ${shortTime(t.to)}` },
                { header: 'STARTED', value: (t) => shortTime(t.startedAt) },
              ]),
        );
      },
    );

  replay
    .command('cancel <queue> <taskId>')
    .description('cancel a running replay (messages replayed so far stay in the destination)')
    .action(async (queue: string, taskId: string, _options: unknown, command: Command) => {
      const { client, out } = await contextOf(command);
      const task = await client.delete<Replay>(`${queuePath(queue)}/replays/${encodeURIComponent(taskId)}`);
      out.result(task, () => describeReplay(task));
    });
}

interface BrowseOptions {
  from?: string;
  to?: string;
  limit: number;
  attribute?: Record<string, string>;
  nextToken?: string;
}

interface StartOptions {
  from?: string;
  to?: string;
  toQueue?: string;
  attribute?: Record<string, string>;
  rate?: number;
  wait?: boolean;
}

function addStartOptions(command: Command): Command {
  return command
    .option(
      '--from <time>',
      'replay messages sent at or after: ISO 8601, or how long ago (30m, 2h, 7d)',
      time('--from'),
    )
    .option('--to <time>', 'and sent at or before: ISO 8601, or how long ago (default now)', time('--to'))
    .option('--to-queue <name>', 'replay into this queue (of the same kind) instead of the queue itself')
    .option('-a, --attribute <name=value>', 'only messages with this String attribute value', keyValue)
    .option('--rate <n>', 'at most n messages a second, 1..500', integer('--rate', 1, 500))
    .option('--wait', 'show a progress bar until the replay ends');
}

async function start(command: Command, queue: string, options: StartOptions): Promise<void> {
  if (!options.from)
    throw new UsageError(
      'a replay needs --from',
      `e.g. dq replay ${queue} --from 2h --wait (see dq replay --help)`,
    );
  const attribute = oneAttribute(options.attribute, 'replay');
  const { client, out } = await contextOf(command);
  let task = await client.post<Replay>(`${queuePath(queue)}/replays`, {
    from: options.from,
    // The service ends a range at the replay's start at the latest, so "now" here is safe.
    to: options.to ?? new Date().toISOString(),
    ...(options.toQueue ? { destination: options.toQueue } : {}),
    ...(attribute ? { attributeName: attribute[0], attributeValue: attribute[1] } : {}),
    ...(options.rate ? { maxMessagesPerSecond: options.rate } : {}),
  } satisfies ReplayRequest);
  if (options.wait) task = await follow(client, out, queue, task);
  out.result(task, () =>
    options.wait
      ? describeReplay(task)
      : `${describeReplay(task)}\nFollow it with: dq replay status ${queue} ${task.taskId} --wait`,
  );
  if (task.status === 'FAILED') {
    throw new CliError(
      `replay ${task.taskId} failed: ${task.failureReason ?? 'no reason given'}`,
      exitCodes.refused,
    );
  }
}

const getReplay = (client: RestClient, queue: string, taskId: string) =>
  client.get<Replay>(`${queuePath(queue)}/replays/${encodeURIComponent(taskId)}`);

function follow(client: RestClient, out: Output, queue: string, first: Replay): Promise<Replay> {
  return followTask(
    out,
    first,
    (task) => ({ taskId: task.taskId, status: task.status, done: task.replayed, total: task.toReplay }),
    (taskId) => getReplay(client, queue, taskId),
    (taskId) => `Cancel it with: dq replay cancel ${queue} ${taskId}`,
  );
}

function describeReplay(task: Replay): string {
  const into = task.destination === task.source ? 'into itself' : `into ${task.destination}`;
  return `Replay ${task.taskId} ${task.status}: ${task.replayed} of ${task.toReplay} replayed from ${task.source}'s archive ${into}${
    task.failureReason ? ` (${task.failureReason})` : ''
  }`;
}

function oneAttribute(given: Record<string, string> | undefined, what: string): [string, string] | undefined {
  const [attribute, ...others] = Object.entries(given ?? {});
  if (others.length > 0) throw new UsageError(`${what} filters on one attribute at a time`);
  return attribute;
}

/** The filters of a listing, to repeat with --next-token. */
function again(options: BrowseOptions): string {
  const attribute = Object.entries(options.attribute ?? {})[0];
  return [
    options.from ? `--from ${options.from} ` : '',
    options.to ? `--to ${options.to} ` : '',
    attribute ? `--attribute ${attribute[0]}=${attribute[1]} ` : '',
  ].join('');
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time option: an ISO 8601 time with a zone (as the service wants it), or a duration ago such as
 * `30m`, `2h` or `7d`, turned into an ISO time here so a listing's --next-token line repeats it exactly.
 */
export function time(name: string): (value: string) => string {
  return (value) => {
    const ago = /^(\d+)([smhd])$/.exec(value.trim());
    if (ago) return new Date(Date.now() - Number(ago[1]) * units[ago[2]!]!).toISOString();
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value.trim());
    if (!iso || Number.isNaN(Date.parse(value))) {
      throw new UsageError(
        `${name} must be an ISO 8601 time with a zone or a duration ago, but ${value} was given`,
        `e.g. ${name} 2026-12-01T08:00:00Z, or ${name} 2h`,
      );
    }
    return new Date(value).toISOString();
  };
}
