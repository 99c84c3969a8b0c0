import type { Command } from 'commander';
import type { Topic, TopicPage } from '../../functions/dialects/rest/client-types';
import { confirm } from '../confirm';
import { contextOf, keyValue } from '../context';
import { topicPath } from '../http-client';
import { table } from '../output';

/**
 * Topics: list, create, delete. `dq topics` alone lists them, as `dq redrive <queue>` is short
 * for `dq redrive start <queue>`.
 */
export function registerTopicCommands(program: Command): void {
  const topics = program
    .command('topics')
    .description('list topics (SNS fan-out to queues); create and delete them')
    .addHelpText(
      'after',
      '\nExamples:\n  dq topics\n  dq topics create orders\n  dq topics create ledger.fifo\n' +
        '  dq topics delete orders --yes\nThen: dq subscribe, dq publish, dq subscriptions (see their --help).',
    )
    .action(async (_options: unknown, command: Command) => list(command));

  topics
    .command('list')
    .alias('ls')
    .description('list topics')
    .action(async (_options: unknown, command: Command) => list(command));

  topics
    .command('create <name>')
    .description('create a topic (a FIFO topic name ends in .fifo); the same settings again is a no-op')
    .option('--fifo', 'a FIFO topic; implied by a .fifo name')
    .option(
      '--content-based-deduplication',
      'FIFO: publishes with the same body within 5 minutes are delivered once',
    )
    .option('-t, --tag <name=value>', 'a tag (repeatable)', keyValue)
    .action(async (name: string, options: CreateTopicOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const fifo = Boolean(options.fifo) || name.endsWith('.fifo');
      const topic = await client.post<Topic>('/topics', {
        name,
        ...(fifo ? { fifo: true } : {}),
        ...(options.contentBasedDeduplication ? { contentBasedDeduplication: true } : {}),
        ...(options.tag ? { tags: options.tag } : {}),
      });
      out.result(topic, () => `Topic ${topic.name} ready (${topic.arn})`);
    });

  topics
    .command('delete <name>')
    .description('delete a topic and its subscriptions (asks first unless --yes); the queues stay')
    .option('-y, --yes', 'do not ask')
    .action(async (name: string, options: { yes?: boolean }, command: Command) => {
      const { client, out } = await contextOf(command);
      // Read first: a typo is reported as an unknown topic before anyone is asked anything.
      await client.get(topicPath(name));
      await confirm(`Delete topic ${name} and its subscriptions?`, options.yes);
      await client.delete(topicPath(name));
      out.result({ deleted: name }, () => `Deleted topic ${name}`);
    });
}

interface CreateTopicOptions {
  fifo?: boolean;
  contentBasedDeduplication?: boolean;
  tag?: Record<string, string>;
}

async function list(command: Command): Promise<void> {
  const { client, out } = await contextOf(command);
  const all: Topic[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.get<TopicPage>('/topics', { nextToken });
    all.push(...page.topics);
    nextToken = page.nextToken;
  } while (nextToken);
  out.result({ topics: all }, () =>
    all.length === 0
      ? 'No topics. Create one with: dq topics create <name>'
      : table(all, [
          { header: 'NAME', value: (t) => t.name },
          { header: 'TYPE', value: (t) => (t.fifo ? 'FIFO' : 'standard') },
          { header: 'ARN', value: (t) => t.arn },
        ]),
  );
}
