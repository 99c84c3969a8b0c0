import type { Command } from 'commander';
import type {
  PublishBatchResult,
  PublishRequest,
  PublishResult,
} from '../../functions/dialects/rest/client-types';
import { contextOf } from '../context';
import { CliError, exitCodes, UsageError } from '../errors';
import { topicPath } from '../http-client';
import { batches, messageBodies } from '../message-input';

type Attributes = NonNullable<PublishRequest['attributes']>;

/**
 * `dq publish`: one message shows which subscriptions it matched; several (arguments, --file or
 * stdin, one a line) go in batches of 10, as `dq send` does.
 */
export function registerPublishCommand(program: Command): void {
  program
    .command('publish <topic> [body...]')
    .description('publish messages to a topic: each argument is one; else --file or stdin, one a line')
    .option('-f, --file <path>', 'read bodies from a file, one per line (- for stdin)')
    .option(
      '-a, --attr <name[:type]=value>',
      'a message attribute (repeatable); type String (default), Number, String.Array (a JSON array) or Binary (base64)',
      attribute,
    )
    .option('-s, --subject <text>', 'the Subject of the notification')
    .option('-g, --group <id>', 'message group (required on FIFO topics; passed on to the queues)')
    .option('--deduplication-id <id>', 'FIFO: the same id within 5 minutes is delivered once')
    .action(async (topic: string, bodies: string[], options: PublishOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const common = {
        ...(options.attr ? { attributes: options.attr } : {}),
        ...(options.subject !== undefined ? { subject: options.subject } : {}),
        ...(options.group !== undefined ? { groupId: options.group } : {}),
        ...(options.deduplicationId !== undefined ? { deduplicationId: options.deduplicationId } : {}),
      };
      const published: { id: string; messageId: string }[] = [];
      const failed: PublishBatchResult['failed'] = [];
      let index = 0;
      let single: PublishResult | undefined;
      for await (const batch of batches(messageBodies(bodies, options.file), 10)) {
        if (options.deduplicationId !== undefined && (index > 0 || batch.length > 1)) {
          throw new UsageError(
            `--deduplication-id names one message, but several were given: ${index > 0 ? 'only the first was' : 'nothing was'} published`,
            'publish them one by one, each with its own id',
          );
        }
        // One message alone: the single publish, which says which subscriptions it matched.
        if (index === 0 && batch.length === 1) {
          const [body] = batch;
          single = await client.post<PublishResult>(`${topicPath(topic)}/messages`, { body, ...common });
          published.push({ id: String(++index), messageId: single.messageId });
          continue;
        }
        single = undefined;
        const messages = batch.map((body) => ({ id: String(++index), body, ...common }));
        const result = await client.post<PublishBatchResult>(`${topicPath(topic)}/messages`, { messages });
        published.push(...result.successful);
        failed.push(...result.failed);
      }
      if (single && published.length === 1) {
        const result = single;
        out.result(result, () =>
          result.matched.length === 0
            ? `Published ${result.messageId} to ${topic}: it matched no subscription (nothing delivered)`
            : `Published ${result.messageId} to ${topic}: matched ${result.matched.length} subscription${result.matched.length === 1 ? '' : 's'} (${result.matched.join(', ')})`,
        );
        return;
      }
      out.result({ published: published.length, failed, messages: published }, () =>
        [
          `Published ${published.length} message${published.length === 1 ? '' : 's'} to ${topic}`,
          ...failed.map((f) => `  message ${f.id} refused: ${f.code}: ${f.message}`),
        ].join('\n'),
      );
      if (failed.length > 0) {
        throw new CliError(`${failed.length} message(s) were refused`, exitCodes.refused, undefined, {
          failed: failed.length,
        });
      }
    });
}

interface PublishOptions {
  file?: string;
  attr?: Attributes;
  subject?: string;
  group?: string;
  deduplicationId?: string;
}

const attributeTypes = ['String', 'Number', 'String.Array', 'Binary'];

/** `name=value` (a String), or `name:Type=value`; repeatable, collected into the REST shape. */
export function attribute(value: string, previous: Attributes = {}): Attributes {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`expected name=value or name:Type=value, but ${value} was given`);
  const [name = '', type = 'String'] = value.slice(0, at).split(/:(.*)/s);
  const text = value.slice(at + 1);
  // SNS allows a custom suffix on a type (`Number.cents`); the service checks the rest.
  if (!attributeTypes.includes(type) && !/^(String|Number|Binary)\.\S+$/.test(type)) {
    throw new UsageError(
      `attribute ${name}: the type must be String, Number, String.Array or Binary, but ${type} was given`,
    );
  }
  const entry = type.startsWith('Binary')
    ? { dataType: type, binaryValue: text }
    : { dataType: type, stringValue: text };
  return { ...previous, [name]: entry };
}
