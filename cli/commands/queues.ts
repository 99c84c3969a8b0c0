import type { Command } from 'commander';
import type { Queue, QueuePage } from '../../functions/dialects/rest/client-types';
import { messageStateLabels, messageStates } from '../../functions/dialects/rest/message-states';
import { confirm } from '../confirm';
import { contextOf } from '../context';
import { CliError } from '../errors';
import { queuePath, type RestClient } from '../http-client';
import { table } from '../output';
import { addSettingsOptions, type SettingsOptions, settingsRequest } from './queue-settings';

/** Queues: list with counts, create, delete, purge. */
export function registerQueueCommands(program: Command): void {
  program
    .command('list')
    .alias('ls')
    .description('list queues with visible, in-flight and delayed message counts')
    .option('--prefix <prefix>', 'only queues whose name starts with this')
    .action(async (options: { prefix?: string }, command: Command) => {
      const { client, out } = await contextOf(command);
      const queues = await listWithCounts(client, options.prefix);
      out.result({ queues }, () =>
        queues.length === 0
          ? 'No queues. Create one with: dq create <name>'
          : table(queues, [
              { header: 'NAME', value: (q) => q.name },
              ...messageStates.map((state) => ({
                header: messageStateLabels[state].toUpperCase(),
                value: (q: (typeof queues)[number]) => q.messages?.[state],
                align: 'right' as const,
              })),
              { header: 'OLDEST', value: (q) => age(q.messages?.oldestMessageAgeSeconds), align: 'right' },
              {
                header: 'DEAD LETTERS TO',
                value: (q) => (q.deadLetterQueue ? `${q.deadLetterQueue} (after ${q.maxReceiveCount})` : ''),
              },
            ]),
      );
    });

  addSettingsOptions(
    program
      .command('create <name>')
      .description(
        'create a queue (a FIFO queue name ends in .fifo; it has content-based deduplication unless --no-content-based-deduplication)',
      ),
  )
    .option('--fifo', 'a FIFO queue (ordered message groups, deduplication); implied by a .fifo name')
    .action(async (name: string, options: CreateOptions, command: Command) => {
      const request = settingsRequest(options);
      const fifo = Boolean(options.fifo) || name.endsWith('.fifo');
      // Without content-based deduplication every send to a FIFO queue needs a deduplication id, which
      // a person typing `dq send` rarely has: on by default, as the console's create form offers.
      if (fifo) request.contentBasedDeduplication = options.contentBasedDeduplication ?? true;
      const { client, out } = await contextOf(command);
      const queue = await client.post<Queue>('/queues', {
        name,
        ...request,
        ...(fifo ? { fifo: true } : {}),
      });
      out.result(queue, () => `Queue ${queue.name} ready (${queue.arn})`);
    });

  program
    .command('delete <name>')
    .description('delete a queue and all its messages (asks first unless --yes)')
    .option('-y, --yes', 'do not ask')
    .action(async (name: string, options: { yes?: boolean }, command: Command) => {
      const { client, out } = await contextOf(command);
      // Read first: a typo is reported as an unknown queue before anyone is asked anything.
      await client.get(queuePath(name));
      await confirm(`Delete queue ${name} and all its messages?`, options.yes);
      await client.delete(queuePath(name));
      out.result({ deleted: name }, () => `Deleted queue ${name}`);
    });

  program
    .command('purge <name>')
    .description('delete every message in a queue (asks first unless --yes)')
    .option('-y, --yes', 'do not ask')
    .action(async (name: string, options: { yes?: boolean }, command: Command) => {
      const { client, out } = await contextOf(command);
      const queue = await client.get<Queue>(queuePath(name));
      const depth = queue.messages
        ? ` (${queue.messages.visible + queue.messages.inFlight + queue.messages.delayed} messages)`
        : '';
      await confirm(`Purge every message from ${name}${depth}?`, options.yes);
      const result = await client.post<{ purged: number }>(`${queuePath(name)}/purge`);
      out.result(
        { name, ...result },
        () =>
          `Purged ${name}: ${result.purged} ${result.purged === 1 ? 'message' : 'messages'} gone at once ` +
          '(no longer received or counted); storage is freed in the background',
      );
    });
}

interface CreateOptions extends SettingsOptions {
  fifo?: boolean;
}

/**
 * Every page of `GET /queues?counts=true`. A service from before counts were listed refuses the
 * parameter; then each queue's counts are read one by one, so the tool works against both.
 */
async function listWithCounts(client: RestClient, prefix: string | undefined): Promise<Queue[]> {
  const queues: Queue[] = [];
  let withCounts = true;
  let nextToken: string | undefined;
  for (;;) {
    let page: QueuePage;
    try {
      page = await client.get<QueuePage>('/queues', {
        prefix,
        nextToken,
        ...(withCounts ? { counts: true } : {}),
      });
    } catch (error) {
      if (!withCounts || !(error instanceof CliError) || error.details.status !== 400) throw error;
      withCounts = false;
      continue;
    }
    queues.push(...page.queues);
    nextToken = page.nextToken;
    if (!nextToken) break;
  }
  if (!withCounts) {
    await Promise.all(
      queues.map(async (queue) => {
        queue.messages = (await client.get<Queue>(queuePath(queue.name))).messages;
      }),
    );
  }
  return queues;
}

function age(seconds: number | undefined): string {
  if (seconds === undefined || seconds === 0) return '';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}
