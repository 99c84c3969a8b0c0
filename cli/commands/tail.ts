import type { Command } from 'commander';
import type { PeekedMessage, ReceivedMessage } from '../../functions/dialects/rest/client-types';
import { contextOf, integer } from '../context';
import type { RestClient } from '../http-client';
import type { Output } from '../output';
import { deleteMessages, peek, receiveUpTo } from './messages';

/**
 * `tail`: print messages as they arrive, until Ctrl-C.
 *
 * By default it watches without consuming: it peeks (no lease, receive counts untouched), so tailing
 * a queue in production never steals messages from its consumers or pushes them toward the
 * dead-letter queue. It shows each message once, the first time it is among the first 50 the service
 * reports; a message consumed between two polls may be missed. `--delete` makes it a consumer
 * instead: long-poll receives, print, delete, so every message is printed exactly when taken.
 */
export function registerTailCommand(program: Command): void {
  program
    .command('tail <queue>')
    .description('print messages as they arrive (watches without consuming; --delete consumes)')
    .option('-d, --delete', 'consume: receive each message, print it and delete it')
    .option(
      '-i, --interval <seconds>',
      'seconds between peeks when watching, 1..60',
      integer('--interval', 1, 60),
      1,
    )
    .addHelpText(
      'after',
      '\nWithout --delete, tail peeks: nothing is leased or deleted and receive counts do not change;\n' +
        'it shows messages among the first 50 waiting, each once. With --delete it is a consumer.\n' +
        'With --json it prints one JSON object per message per line. Stop with Ctrl-C.',
    )
    .action(async (queue: string, options: { delete?: boolean; interval: number }, command: Command) => {
      const { client, out } = await contextOf(command);
      // Fail on an unknown queue before saying anything.
      await client.get(`/queues/${encodeURIComponent(queue)}`);
      process.once('SIGINT', () => process.exit(0));
      out.note(
        options.delete
          ? `Consuming ${queue}: messages are deleted once printed (Ctrl-C to stop)`
          : `Watching ${queue} without consuming (Ctrl-C to stop)`,
      );
      if (options.delete) await consume(client, out, queue);
      else await watch(client, out, queue, options.interval);
    });
}

async function watch(client: RestClient, out: Output, queue: string, interval: number): Promise<never> {
  const seen = new Set<string>();
  for (;;) {
    const { messages } = await peek(client, queue, 50);
    for (const message of messages) {
      const known = seen.has(message.messageId);
      remember(seen, message.messageId);
      if (!known) print(out, message);
    }
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  }
}

async function consume(client: RestClient, out: Output, queue: string): Promise<never> {
  for (;;) {
    const messages = await receiveUpTo(client, queue, { max: 10, wait: 20 });
    for (const message of messages) print(out, message);
    await deleteMessages(client, queue, messages);
  }
}

function print(out: Output, message: PeekedMessage | ReceivedMessage): void {
  const { receiptHandle: _handle, ...shown } = message as ReceivedMessage;
  const time = new Date().toISOString().slice(11, 19);
  out.line(shown, `${time}  ${message.messageId}  ${message.body}`);
}

/**
 * The 10,000 ids seen most recently (a message still waiting is seen again at every poll and so is
 * never forgotten): bounded memory for a tail left running, without printing anything twice.
 */
function remember(seen: Set<string>, id: string): void {
  seen.delete(id);
  seen.add(id);
  if (seen.size > 10_000) {
    const oldest = seen.values().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
}
