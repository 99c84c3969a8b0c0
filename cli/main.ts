import { Command, CommanderError, Option } from 'commander';
import { version } from '../package.json';
import { registerArchiveCommands } from './commands/archive';
import { registerConsumerCommands } from './commands/consumers';
import { registerDeadLetterCommands } from './commands/dead-letters';
import { registerMessageCommands } from './commands/messages';
import { registerPublishCommand } from './commands/publish';
import { registerUpdateCommand } from './commands/queue-settings';
import { registerQueueCommands } from './commands/queues';
import { registerScheduleCommands } from './commands/schedule';
import { registerStatsCommand } from './commands/stats';
import { registerSubscriptionCommands } from './commands/subscriptions';
import { registerTailCommand } from './commands/tail';
import { registerTopicCommands } from './commands/topics';
import { defaultEndpoint } from './context';
import { CliError, exitCodeHelp, exitCodes } from './errors';

/** The `dynamo-queue` (`dq`) command: a client of the REST API, like any other. */
export function buildProgram(): Command {
  const program = new Command('dq')
    .description('Work with the queues of a dynamo-queue service (local or deployed) from the terminal')
    .addOption(
      new Option('-e, --endpoint <url>', 'the service’s base URL')
        .env('DQ_ENDPOINT')
        .default(defaultEndpoint),
    )
    .addOption(new Option('-p, --profile <name>', 'sign requests with this AWS profile').env('AWS_PROFILE'))
    .addOption(
      new Option('-r, --region <region>', 'region to sign for (default AWS_REGION, or from the URL)'),
    )
    .option('--json', 'print machine-readable JSON only')
    .version(version, '-V, --version', 'print the version of dq')
    .showSuggestionAfterError()
    .showHelpAfterError('(dq --help, or dq <command> --help, shows the usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Signing: requests are signed with SigV4 (service execute-api) when credentials are given
(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or --profile / AWS_PROFILE), or, for a remote endpoint,
from the usual AWS credential chain. Against a local endpoint without them, requests go unsigned.

${exitCodeHelp}`,
    );
  registerQueueCommands(program);
  registerUpdateCommand(program);
  registerMessageCommands(program);
  registerScheduleCommands(program);
  registerTailCommand(program);
  registerDeadLetterCommands(program);
  registerArchiveCommands(program);
  registerStatsCommand(program);
  registerTopicCommands(program);
  registerPublishCommand(program);
  registerSubscriptionCommands(program);
  registerConsumerCommands(program);
  // Subcommands inherit exitOverride (set above, before they were added): usage errors come back to run().
  return program;
}

/** Runs the tool and returns its exit status; it never throws. */
export async function run(argv: string[]): Promise<number> {
  // `dq list | head -1`: the reader has had enough; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(exitCodes.ok);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitCodes.ok;
  } catch (error) {
    return report(error, argv.includes('--json'));
  }
}

function report(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version end here too, with code 0; commander has printed them.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof CliError) {
    if (json) {
      process.stderr.write(
        `${JSON.stringify({ error: { message: error.message, hint: error.hint, exitCode: error.exitCode, ...error.details } })}\n`,
      );
    } else {
      process.stderr.write(`dq: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
    }
    return error.exitCode;
  }
  // A bug in the tool: show it plainly rather than pretend the service failed.
  process.stderr.write(
    `dq: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 70;
}
