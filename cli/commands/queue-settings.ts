import type { Command } from 'commander';
import type { Queue } from '../../functions/dialects/rest/client-types';
import { contextOf, integer } from '../context';
import { UsageError } from '../errors';
import { queuePath } from '../http-client';

/**
 * The settings `dq create` and `dq update` share, as options, and the REST fields they become.
 * `--content-based-deduplication` and its `--no-` form are both declared, so "not given" stays
 * undefined and a default can be chosen by the command.
 */
export interface SettingsOptions {
  visibilityTimeout?: number;
  retention?: number;
  delay?: number;
  receiveWait?: number;
  deadLetterQueue?: string | false;
  maxReceiveCount?: number;
  contentBasedDeduplication?: boolean;
  archiveRetention?: number;
}

export function addSettingsOptions(command: Command): Command {
  return command
    .option(
      '--visibility-timeout <seconds>',
      'lease length, 0..43200',
      integer('--visibility-timeout', 0, 43_200),
    )
    .option(
      '--retention <seconds>',
      'how long messages are kept, 60..1209600',
      integer('--retention', 60, 1_209_600),
    )
    .option('--delay <seconds>', 'delay for new messages, 0..900', integer('--delay', 0, 900))
    .option('--receive-wait <seconds>', 'default long-poll wait, 0..20', integer('--receive-wait', 0, 20))
    .option('--dead-letter-queue <queue>', 'move messages here after --max-receive-count receives')
    .option(
      '--max-receive-count <n>',
      'receives before a message is dead-lettered, 1..1000',
      integer('--max-receive-count', 1, 1000),
    )
    .option(
      '--content-based-deduplication',
      'FIFO: a message without a deduplication id is deduplicated by its body',
    )
    .option(
      '--no-content-based-deduplication',
      'FIFO: every message needs a deduplication id (dq send --deduplication-id)',
    )
    .option(
      '--archive-retention <seconds>',
      'keep every message in the archive this long after it was sent (dq archive, dq replay), 0 (off)..31536000',
      integer('--archive-retention', 0, 31_536_000),
    );
}

/** The REST fields for the options given; the redrive options only together. */
export function settingsRequest(options: SettingsOptions): Record<string, unknown> {
  if (Boolean(options.deadLetterQueue) !== (options.maxReceiveCount !== undefined)) {
    throw new UsageError(
      '--dead-letter-queue and --max-receive-count go together',
      'e.g. --dead-letter-queue jobs-dlq --max-receive-count 5',
    );
  }
  const request: Record<string, unknown> = {
    visibilityTimeoutSeconds: options.visibilityTimeout,
    retentionSeconds: options.retention,
    delaySeconds: options.delay,
    receiveWaitSeconds: options.receiveWait,
    deadLetterQueue: options.deadLetterQueue || undefined,
    maxReceiveCount: options.maxReceiveCount,
    contentBasedDeduplication: options.contentBasedDeduplication,
    archiveRetentionSeconds: options.archiveRetention,
  };
  for (const key of Object.keys(request)) if (request[key] === undefined) delete request[key];
  return request;
}

/** `dq update <queue> [settings]`: PATCH /queues/{name} with only what was given. */
export function registerUpdateCommand(program: Command): void {
  addSettingsOptions(
    program.command('update <name>').description('change a queue’s settings: only the options given change'),
  )
    .option('--no-dead-letter-queue', 'remove the redrive policy (no more dead-lettering)')
    .action(async (name: string, options: SettingsOptions, command: Command) => {
      const removing = options.deadLetterQueue === false;
      if (removing && options.maxReceiveCount !== undefined) {
        throw new UsageError('--no-dead-letter-queue removes the redrive policy: drop --max-receive-count');
      }
      const request = settingsRequest({ ...options, ...(removing ? { deadLetterQueue: undefined } : {}) });
      if (removing) Object.assign(request, { deadLetterQueue: null, maxReceiveCount: null });
      if (Object.keys(request).length === 0) {
        throw new UsageError(
          'nothing to change: give at least one setting',
          'e.g. dq update jobs --visibility-timeout 60 (dq update --help lists them)',
        );
      }
      const { client, out } = await contextOf(command);
      const queue = await client.patch<Queue>(queuePath(name), request);
      out.result(queue, () => `Queue ${queue.name} updated: ${describeChanges(request)}`);
    });
}

const labels: Record<string, (value: unknown) => string> = {
  visibilityTimeoutSeconds: (v) => `visibility timeout ${v} s`,
  retentionSeconds: (v) => `retention ${v} s`,
  delaySeconds: (v) => `delay ${v} s`,
  receiveWaitSeconds: (v) => `receive wait ${v} s`,
  deadLetterQueue: (v) => (v === null ? 'no dead-letter queue' : `dead-letter queue ${v}`),
  maxReceiveCount: (v) => (v === null ? '' : `after ${v} receives`),
  contentBasedDeduplication: (v) => `content-based deduplication ${v ? 'on' : 'off'}`,
  archiveRetentionSeconds: (v) => (v === 0 ? 'archive off' : `archive kept ${v} s`),
};

function describeChanges(request: Record<string, unknown>): string {
  return Object.entries(request)
    .map(([key, value]) => labels[key]?.(value) ?? `${key} ${String(value)}`)
    .filter(Boolean)
    .join(', ');
}
