import type { Command } from 'commander';
import type {
  DeadLetterBrowseQuery,
  DeadLetterPage,
  RedriveTask,
} from '../../functions/dialects/rest/client-types';
import { contextOf, integer, keyValue, list } from '../context';
import { CliError, exitCodes, UsageError } from '../errors';
import { followTask } from '../follow-task';
import { queuePath, type RestClient } from '../http-client';
import { type Output, oneLine, shortTime, table } from '../output';

/** Dead letters: browse them, redrive them (with a progress bar), follow and cancel redrive tasks. */
export function registerDeadLetterCommands(program: Command): void {
  program
    .command('dead-letters <queue>')
    .alias('dlq')
    .description('browse the dead letters in a dead-letter queue, without leasing them')
    .option('-n, --limit <n>', 'how many, 1..100', integer('--limit', 1, 100), 20)
    .option('--oldest', 'oldest first (default newest first)')
    .option('--after <time>', 'dead-lettered after this ISO 8601 time')
    .option('--before <time>', 'dead-lettered before this ISO 8601 time')
    .option('-a, --attribute <name=value>', 'only messages with this String attribute value', keyValue)
    .option('--next-token <token>', 'continue a previous listing (give the same filters again)')
    .action(async (queue: string, options: BrowseOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const [attribute, ...others] = Object.entries(options.attribute ?? {});
      if (others.length > 0) throw new UsageError('dead-letters filters on one attribute at a time');
      const page = await client.get<DeadLetterPage>(`${queuePath(queue)}/dead-letters`, {
        limit: options.limit,
        order: options.oldest ? 'oldest' : undefined,
        deadLetteredAfter: options.after,
        deadLetteredBefore: options.before,
        attributeName: attribute?.[0],
        attributeValue: attribute?.[1],
        nextToken: options.nextToken,
      } satisfies Record<keyof DeadLetterBrowseQuery, unknown>);
      out.result(page, () =>
        page.messages.length === 0
          ? `No dead letters in ${queue}`
          : [
              table(page.messages, [
                { header: 'MESSAGE ID', value: (m) => m.messageId },
                { header: 'FROM', value: (m) => m.deadLetter?.sourceQueue },
                { header: 'RECEIVES', value: (m) => m.deadLetter?.receiveCount, align: 'right' },
                { header: 'DEAD-LETTERED', value: (m) => shortTime(m.deadLetter?.deadLetteredAt) },
                { header: 'REASON', value: (m) => oneLine(m.deadLetter?.reason ?? '', 40) },
                { header: 'BODY', value: (m) => oneLine(m.body, 40) },
              ]),
              ...(page.nextToken
                ? [
                    `More: dq dead-letters ${queue}${attribute ? ` --attribute ${attribute[0]}=${attribute[1]}` : ''} --next-token ${page.nextToken}`,
                  ]
                : []),
              `Redrive them with: dq redrive ${queue} [--ids <id,...>] --wait`,
            ].join('\n'),
      );
    });

  const redrive = program
    .command('redrive')
    .description('move dead letters back to their source queues (or --to another queue)')
    .addHelpText(
      'after',
      '\n`dq redrive <queue>` is short for `dq redrive start <queue>`.\n' +
        'Examples:\n  dq redrive jobs-dlq --wait\n  dq redrive jobs-dlq --ids 6f1c...,9a2b... --wait\n' +
        '  dq redrive status jobs-dlq\n  dq redrive cancel jobs-dlq <taskId>',
    );
  addStartOptions(redrive.argument('[queue]', 'the dead-letter queue')).action(
    async (queue: string | undefined, options: StartOptions, command: Command) => {
      if (!queue)
        throw new UsageError(
          'which dead-letter queue?',
          'dq redrive <queue> [--wait]; see dq redrive --help',
        );
      await start(command, queue, options);
    },
  );
  addStartOptions(redrive.command('start <queue>').description('start a redrive task')).action(
    async (queue: string, options: StartOptions, command: Command) => start(command, queue, options),
  );

  redrive
    .command('status <queue> [taskId]')
    .description('show the redrive tasks of a dead-letter queue (the 10 most recent), or one task')
    .option('--wait', 'follow the task with a progress bar until it ends')
    .action(
      async (queue: string, taskId: string | undefined, options: { wait?: boolean }, command: Command) => {
        const { client, out } = await contextOf(command);
        if (taskId || options.wait) {
          const id = taskId ?? (await latestTask(client, queue))?.taskId;
          if (!id)
            throw new CliError(
              `no redrive task on ${queue}`,
              exitCodes.refused,
              `start one: dq redrive ${queue}`,
            );
          let task = await client.get<RedriveTask>(`${queuePath(queue)}/redrive/${encodeURIComponent(id)}`);
          if (options.wait) task = await follow(client, out, queue, task);
          out.result(task, () => describeTask(task));
          return;
        }
        const { tasks } = await client.get<{ tasks: RedriveTask[] }>(`${queuePath(queue)}/redrive`);
        out.result({ tasks }, () =>
          tasks.length === 0
            ? `No redrive tasks on ${queue}`
            : table(tasks, [
                { header: 'TASK ID', value: (t) => t.taskId },
                { header: 'STATUS', value: (t) => t.status },
                { header: 'MOVED', value: (t) => `${t.moved}/${t.toMove}`, align: 'right' },
                { header: 'TO', value: (t) => t.destination ?? '(each source queue)' },
                { header: 'STARTED', value: (t) => shortTime(t.startedAt) },
              ]),
        );
      },
    );

  redrive
    .command('cancel <queue> <taskId>')
    .description('cancel a running redrive task (messages moved so far stay moved)')
    .action(async (queue: string, taskId: string, _options: unknown, command: Command) => {
      const { client, out } = await contextOf(command);
      const task = await client.post<RedriveTask>(
        `${queuePath(queue)}/redrive/${encodeURIComponent(taskId)}/cancel`,
      );
      out.result(task, () => describeTask(task));
    });
}

interface BrowseOptions {
  limit: number;
  oldest?: boolean;
  after?: string;
  before?: string;
  attribute?: Record<string, string>;
  nextToken?: string;
}

interface StartOptions {
  ids?: string[];
  attribute?: Record<string, string>;
  after?: string;
  before?: string;
  to?: string;
  rate?: number;
  wait?: boolean;
}

function addStartOptions(command: Command): Command {
  return command
    .option('--ids <id,...>', 'only these message ids (comma-separated, repeatable)', list)
    .option('-a, --attribute <name=value>', 'only messages with this String attribute value', keyValue)
    .option('--after <time>', 'only messages dead-lettered after this ISO 8601 time')
    .option('--before <time>', 'only messages dead-lettered before this ISO 8601 time')
    .option('--to <queue>', 'send them all to this queue instead of each one’s source queue')
    .option('--rate <n>', 'at most n messages a second, 1..500', integer('--rate', 1, 500))
    .option('--wait', 'show a progress bar until the task ends');
}

async function start(command: Command, queue: string, options: StartOptions): Promise<void> {
  const { client, out } = await contextOf(command);
  const attributes = Object.entries(options.attribute ?? {});
  if (attributes.length > 1) throw new UsageError('redrive filters on one attribute at a time');
  const [attribute] = attributes;
  let task = await client.post<RedriveTask>(`${queuePath(queue)}/redrive`, {
    ...(options.ids ? { messageIds: options.ids } : {}),
    ...(attribute ? { attribute: { name: attribute[0], value: attribute[1] } } : {}),
    ...(options.after ? { deadLetteredAfter: options.after } : {}),
    ...(options.before ? { deadLetteredBefore: options.before } : {}),
    ...(options.to ? { destination: options.to } : {}),
    ...(options.rate ? { maxMessagesPerSecond: options.rate } : {}),
  });
  if (options.wait) task = await follow(client, out, queue, task);
  out.result(task, () =>
    options.wait
      ? describeTask(task)
      : `${describeTask(task)}\nFollow it with: dq redrive status ${queue} ${task.taskId} --wait`,
  );
  if (task.status === 'FAILED') {
    throw new CliError(
      `redrive task ${task.taskId} failed: ${task.failureReason ?? 'no reason given'}`,
      exitCodes.refused,
    );
  }
}

/** Follows a redrive task with a progress bar until it ends (see followTask). */
function follow(client: RestClient, out: Output, queue: string, first: RedriveTask): Promise<RedriveTask> {
  return followTask(
    out,
    first,
    (task) => ({ taskId: task.taskId, status: task.status, done: task.moved, total: task.toMove }),
    (taskId) => client.get<RedriveTask>(`${queuePath(queue)}/redrive/${encodeURIComponent(taskId)}`),
    (taskId) => `Cancel it with: dq redrive cancel ${queue} ${taskId}`,
  );
}

async function latestTask(client: RestClient, queue: string): Promise<RedriveTask | undefined> {
  const { tasks } = await client.get<{ tasks: RedriveTask[] }>(`${queuePath(queue)}/redrive`);
  return tasks[0];
}

function describeTask(task: RedriveTask): string {
  const where = task.destination ? `to ${task.destination}` : 'to their source queues';
  return `Redrive ${task.taskId} ${task.status}: ${task.moved} of ${task.toMove} moved from ${task.source} ${where}${
    task.failureReason ? ` (${task.failureReason})` : ''
  }`;
}
