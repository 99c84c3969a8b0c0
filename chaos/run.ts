/**
 * `npm run chaos`: producers, misbehaving consumers and the sweeper against the local service on
 * its own in-memory DynamoDB Local, with faults injected into every DynamoDB call; prints the
 * figures and every violation, and exits non-zero if the queue broke a promise.
 * `npm run chaos -- --help` lists the options.
 */
import { startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { parseChaosCommand } from './config';
import { formatPushReport, runPushChaos } from './push';
import { formatReplayReport, runReplayChaos } from './replays';
import { formatReport } from './report';
import { runChaos } from './scenario';
import { formatTopicReport, runTopicChaos } from './topics';

async function main(): Promise<number> {
  const command = parseChaosCommand(process.argv.slice(2), process.env);
  if (command.help) {
    console.log(command.help);
    return 0;
  }
  const log = (line: string) => console.log(`[chaos] ${line}`);
  const dynamodb = command.endpoint ? undefined : await startDynamoDbLocal({ inMemory: true });
  try {
    const endpoint = command.endpoint ?? dynamodb!.endpoint;
    log(`DynamoDB at ${endpoint}`);
    // CHAOS_TOPICS_ONLY=1 runs only the topic scenario (chaos/topics.ts), CHAOS_PUSH_ONLY=1 only
    // the push one (chaos/push.ts), CHAOS_REPLAYS_ONLY=1 only the replay one (chaos/replays.ts).
    const pushOnly = process.env.CHAOS_PUSH_ONLY === '1';
    const replays =
      process.env.CHAOS_TOPICS_ONLY === '1' || pushOnly
        ? undefined
        : await runReplayChaos(command.config, { dynamodbEndpoint: endpoint, log });
    if (replays) console.log(formatReplayReport(replays));
    if (process.env.CHAOS_REPLAYS_ONLY === '1') return replays!.violations.length === 0 ? 0 : 1;
    const queueViolations =
      process.env.CHAOS_TOPICS_ONLY === '1' || pushOnly
        ? 0
        : await runChaos(command.config, { dynamodbEndpoint: endpoint, log }).then((result) => {
            console.log(formatReport(result));
            return result.checks.violations.length;
          });
    const topicViolations = pushOnly
      ? 0
      : await runTopicChaos(command.config, { dynamodbEndpoint: endpoint, log }).then((topics) => {
          console.log(formatTopicReport(topics));
          return topics.violations.length;
        });
    const push = await runPushChaos(command.config, { dynamodbEndpoint: endpoint, log });
    console.log(formatPushReport(push));
    const replayViolations = replays?.violations.length ?? 0;
    return queueViolations + topicViolations + push.violations.length + replayViolations === 0 ? 0 : 1;
  } finally {
    await dynamodb?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
