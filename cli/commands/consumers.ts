import { type Command, InvalidArgumentError } from 'commander';
import type { Consumer, ConsumerList } from '../../functions/dialects/rest/client-types';
import { confirm } from '../confirm';
import { contextOf } from '../context';
import { UsageError } from '../errors';
import { queuePath } from '../http-client';
import { table } from '../output';

/** Push consumers of a queue (issue 19): list, create, delete, enable and disable. */
export function registerConsumerCommands(program: Command): void {
  program
    .command('consumers <queue>')
    .description("a queue's push consumers: target, batch size, concurrency, state")
    .action(async (queue: string, _options: unknown, command: Command) => {
      const { client, out } = await contextOf(command);
      const { consumers } = await client.get<ConsumerList>(`${queuePath(queue)}/consumers`);
      out.result({ consumers }, () =>
        consumers.length === 0
          ? `No consumers on ${queue}. Add one with: dq consumer create ${queue} --url <url>`
          : table(consumers, [
              { header: 'ID', value: (c) => c.id },
              { header: 'TARGET', value: (c) => targetName(c) },
              { header: 'BATCH', value: (c) => String(c.batchSize) },
              { header: 'WINDOW', value: (c) => `${c.maximumBatchingWindowSeconds}s` },
              { header: 'CONCURRENCY', value: (c) => String(c.maximumConcurrency) },
              { header: 'ITEM FAILURES', value: (c) => (c.reportBatchItemFailures ? 'yes' : 'no') },
              { header: 'STATE', value: (c) => (c.enabled ? 'enabled' : 'disabled') },
            ]),
      );
    });

  const consumer = program
    .command('consumer')
    .description('create, delete, enable or disable a push consumer');
  consumer
    .command('create <queue>')
    .description("push the queue's messages to an HTTP endpoint, a Lambda function or (locally) a module")
    .option('--url <url>', 'an http(s) endpoint: POSTed the Lambda SQS event, signed')
    .option('--function <arn>', 'a Lambda function ARN')
    .option('--module <file#export>', 'a handler module (local service only)')
    .option('--batch-size <n>', 'messages per batch (1..100, FIFO 1..10; default 10)', int)
    .option('--window <seconds>', 'wait up to this long for a fuller batch (0..300; default 0)', int)
    .option('--concurrency <n>', 'batches in flight at most (1..1000; default 5)', int)
    .option('--report-item-failures', 'read batchItemFailures from the answer')
    .option('--disabled', 'create it paused')
    .addHelpText(
      'after',
      '\nExamples:\n  dq consumer create orders --url https://example.com/hook --batch-size 25\n' +
        '  dq consumer create orders --module ./consumer.mjs#handler --report-item-failures',
    )
    .action(async (queue: string, options: CreateOptions, command: Command) => {
      const targets = [
        options.url ? { url: options.url } : undefined,
        options.function ? { functionArn: options.function } : undefined,
        options.module ? { module: options.module } : undefined,
      ].filter((t) => t !== undefined);
      if (targets.length !== 1) throw new UsageError('give exactly one of --url, --function, --module');
      const { client, out } = await contextOf(command);
      const created = await client.post<Consumer>(`${queuePath(queue)}/consumers`, {
        target: targets[0],
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.window === undefined ? {} : { maximumBatchingWindowSeconds: options.window }),
        ...(options.concurrency === undefined ? {} : { maximumConcurrency: options.concurrency }),
        ...(options.reportItemFailures ? { reportBatchItemFailures: true } : {}),
        ...(options.disabled ? { enabled: false } : {}),
      });
      out.result(created, () =>
        [
          `Consumer ${created.id} on ${queue}: ${targetName(created)}, batches of ${created.batchSize}${created.enabled ? '' : ' (disabled)'}`,
          ...(created.secret ? [`  signing secret (shown once): ${created.secret}`] : []),
        ].join('\n'),
      );
    });

  consumer
    .command('delete <queue> <id>')
    .description('delete a consumer (asks first unless --yes); the queue and its messages stay')
    .option('-y, --yes', 'do not ask')
    .action(async (queue: string, id: string, options: { yes?: boolean }, command: Command) => {
      const { client, out } = await contextOf(command);
      const path = `${queuePath(queue)}/consumers/${encodeURIComponent(id)}`;
      // Read first: an unknown id is reported before anyone is asked anything.
      await client.get(path);
      await confirm(`Delete consumer ${id} of ${queue}?`, options.yes);
      await client.delete(path);
      out.result({ deleted: id, queue }, () => `Deleted consumer ${id} of ${queue}`);
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    consumer
      .command(`${name} <queue> <id>`)
      .description(enabled ? 'resume delivery to a consumer' : 'pause delivery to a consumer (messages wait)')
      .action(async (queue: string, id: string, _options: unknown, command: Command) => {
        const { client, out } = await contextOf(command);
        const updated = await client.patch<Consumer>(
          `${queuePath(queue)}/consumers/${encodeURIComponent(id)}`,
          { enabled },
        );
        out.result(updated, () => `Consumer ${id} of ${queue} ${enabled ? 'enabled' : 'disabled'}`);
      });
  }
}

interface CreateOptions {
  url?: string;
  function?: string;
  module?: string;
  batchSize?: number;
  window?: number;
  concurrency?: number;
  reportItemFailures?: boolean;
  disabled?: boolean;
}

function targetName(c: Consumer): string {
  const t = c.target;
  return 'url' in t ? t.url : 'functionArn' in t ? t.functionArn : `module ${t.module}`;
}

function int(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number');
  return Number(value);
}
