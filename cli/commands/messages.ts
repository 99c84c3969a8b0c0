import { type Command, Option } from 'commander';
import type { BatchResult, PeekedMessage, ReceivedMessage } from '../../functions/dialects/rest/client-types';
import { contextOf, integer, keyValue } from '../context';
import { CliError, exitCodes, UsageError } from '../errors';
import { queuePath, type RestClient } from '../http-client';
import { batches, messageBodies } from '../message-input';
import { oneLine, shortTime, table } from '../output';
import { deliverAtOf } from './schedule';

/** Messages: send, receive (and delete), peek. */
export function registerMessageCommands(program: Command): void {
  program
    .command('send <queue> [body...]')
    .description('send messages: each argument is one; else --file or stdin, one message per line')
    .option('-f, --file <path>', 'read bodies from a file, one per line (- for stdin)')
    .option('-a, --attribute <name=value>', 'a String attribute on every message (repeatable)', keyValue)
    .option('--delay <seconds>', 'deliver after this delay, 0..900', integer('--delay', 0, 900))
    .option(
      '-p, --priority <n>',
      'priority 0..9: higher ones are received first (standard queues)',
      integer('--priority', 0, 9),
    )
    .option('--at <time>', 'deliver at this ISO 8601 instant, e.g. 2030-01-31T09:00:00Z (scheduled)')
    .option('--in <duration>', 'deliver after 90s, 10m, 2h, 3d, ... up to the queue retention (scheduled)')
    .option('-g, --group-id <id>', 'message group (required on FIFO queues)')
    .addOption(new Option('--group <id>', 'the same as --group-id').hideHelp())
    .option(
      '--deduplication-id <id>',
      'FIFO: the same id within 5 minutes is accepted but stored once (one message per command)',
    )
    .action(async (queue: string, bodies: string[], options: SendOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const groupId = options.groupId ?? options.group;
      const deliverAt = deliverAtOf(options);
      const sent: { id: string; messageId?: string }[] = [];
      const failed: BatchResult['failed'] = [];
      let index = 0;
      // Batches of 10, the service's batch limit, each id the message's line number.
      for await (const batch of batches(messageBodies(bodies, options.file), 10)) {
        // One id for several bodies would store only the first and drop the rest as its duplicates.
        if (options.deduplicationId !== undefined && (index > 0 || batch.length > 1)) {
          throw new UsageError(
            `--deduplication-id names one message, but several were given: ${index > 0 ? 'only the first was' : 'nothing was'} sent`,
            'send them one by one, each with its own id, or let the queue deduplicate by content',
          );
        }
        const messages = batch.map((body) => ({
          id: String(++index),
          body,
          ...(options.attribute ? { attributes: options.attribute } : {}),
          ...(options.delay !== undefined ? { delaySeconds: options.delay } : {}),
          ...(options.priority !== undefined ? { priority: options.priority } : {}),
          ...(deliverAt !== undefined ? { deliverAt } : {}),
          ...(groupId ? { groupId } : {}),
          ...(options.deduplicationId !== undefined ? { deduplicationId: options.deduplicationId } : {}),
        }));
        const result = await client.post<BatchResult>(`${queuePath(queue)}/messages`, { messages });
        sent.push(...result.successful);
        failed.push(...result.failed);
      }
      out.result({ sent: sent.length, failed, messages: sent }, () =>
        [
          `Sent ${sent.length} message${sent.length === 1 ? '' : 's'} to ${queue}`,
          ...failed.map((f) => `  message ${f.id} refused: ${f.code}: ${f.message}`),
        ].join('\n'),
      );
      if (failed.length > 0) {
        throw new CliError(`${failed.length} message(s) were refused`, exitCodes.refused, undefined, {
          failed: failed.length,
        });
      }
    });

  program
    .command('receive <queue>')
    .description('receive messages (leases them); --delete removes them once printed')
    .option('-n, --max <n>', 'how many messages at most, 1..1000', integer('--max', 1, 1000), 1)
    .option(
      '-w, --wait <seconds>',
      'long-poll up to this long for the first message, 0..20',
      integer('--wait', 0, 20),
      0,
    )
    .option(
      '--visibility-timeout <seconds>',
      'lease length for these messages',
      integer('--visibility-timeout', 0, 43_200),
    )
    .option('-d, --delete', 'delete the messages after printing them (consume)')
    .action(async (queue: string, options: ReceiveOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const messages = await receiveUpTo(client, queue, options);
      if (options.delete) await deleteMessages(client, queue, messages);
      out.result({ messages, deleted: Boolean(options.delete) }, () =>
        messages.length === 0
          ? `No messages${options.wait ? ` within ${options.wait}s` : ''} (try --wait 20)`
          : `${table(messages, [
              { header: 'MESSAGE ID', value: (m) => m.messageId },
              ...priorityColumn(messages),
              { header: 'RECEIVES', value: (m) => m.receiveCount, align: 'right' },
              { header: 'SENT', value: (m) => shortTime(m.sentAt) },
              { header: 'BODY', value: (m) => oneLine(m.body) },
            ])}${options.delete ? `\nDeleted ${messages.length} message${messages.length === 1 ? '' : 's'}` : ''}`,
      );
    });

  program
    .command('peek <queue>')
    .description('look at messages without leasing them (receive counts stay as they are)')
    .option('-n, --limit <n>', 'how many, 1..50', integer('--limit', 1, 50), 10)
    .option('--delayed', 'only messages not yet deliverable (scheduled or delayed), earliest first')
    .action(async (queue: string, options: { limit: number; delayed?: boolean }, command: Command) => {
      const { client, out } = await contextOf(command);
      const result = await peek(client, queue, options.limit, options.delayed);
      out.result(result, () =>
        result.messages.length === 0
          ? `${queue} is empty`
          : table(result.messages, [
              { header: 'MESSAGE ID', value: (m) => m.messageId },
              { header: 'STATE', value: (m) => m.state },
              ...priorityColumn(result.messages),
              { header: 'RECEIVES', value: (m) => m.receiveCount, align: 'right' },
              { header: 'VISIBLE AT', value: (m) => shortTime(m.visibleAt) },
              { header: 'BODY', value: (m) => oneLine(m.body) },
            ]),
      );
    });
}

/** A PRIORITY column, only when some message has one above the default 0. */
function priorityColumn(messages: { priority?: number }[]) {
  if (!messages.some((m) => (m.priority ?? 0) > 0)) return [];
  return [
    { header: 'PRIORITY', value: (m: { priority?: number }) => m.priority ?? 0, align: 'right' as const },
  ];
}

interface SendOptions {
  file?: string;
  attribute?: Record<string, string>;
  delay?: number;
  priority?: number;
  at?: string;
  in?: string;
  groupId?: string;
  group?: string;
  deduplicationId?: string;
}

interface ReceiveOptions {
  max: number;
  wait: number;
  visibilityTimeout?: number;
  delete?: boolean;
}

/** Receives until `max` messages or an empty answer; only the first call waits. */
export async function receiveUpTo(
  client: RestClient,
  queue: string,
  options: { max: number; wait: number; visibilityTimeout?: number },
): Promise<ReceivedMessage[]> {
  const messages: ReceivedMessage[] = [];
  while (messages.length < options.max) {
    const { messages: got } = await client.post<{ messages: ReceivedMessage[] }>(
      `${queuePath(queue)}/messages/receive`,
      {
        maxMessages: Math.min(10, options.max - messages.length),
        waitTimeSeconds: messages.length === 0 ? options.wait : 0,
        ...(options.visibilityTimeout !== undefined
          ? { visibilityTimeoutSeconds: options.visibilityTimeout }
          : {}),
      },
    );
    if (got.length === 0) break;
    messages.push(...got);
  }
  return messages;
}

export async function deleteMessages(
  client: RestClient,
  queue: string,
  messages: ReceivedMessage[],
): Promise<void> {
  for (let at = 0; at < messages.length; at += 10) {
    const entries = messages
      .slice(at, at + 10)
      .map((m, i) => ({ id: String(at + i), receiptHandle: m.receiptHandle }));
    const result = await client.post<BatchResult>(`${queuePath(queue)}/messages/delete`, { entries });
    if (result.failed.length > 0) {
      const [first] = result.failed;
      throw new CliError(
        `${result.failed.length} message(s) could not be deleted: ${first?.code}: ${first?.message}`,
        exitCodes.refused,
        'their leases may have expired: they will be delivered again',
      );
    }
  }
}

export function peek(
  client: RestClient,
  queue: string,
  limit: number,
  delayed = false,
): Promise<{ messages: PeekedMessage[] }> {
  return client.get(`${queuePath(queue)}/messages`, { limit, ...(delayed ? { state: 'delayed' } : {}) });
}
