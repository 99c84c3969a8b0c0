import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type {
  CreateSubscriptionRequest,
  Subscription,
  SubscriptionPage,
} from '../../functions/dialects/rest/client-types';
import { contextOf } from '../context';
import { UsageError } from '../errors';
import { topicPath } from '../http-client';
import { oneLine, table } from '../output';

type Protocol = CreateSubscriptionRequest['protocol'];

/** Subscriptions: subscribe a queue (or an endpoint) with a filter policy, list, unsubscribe. */
export function registerSubscriptionCommands(program: Command): void {
  program
    .command('subscribe <topic> <endpoint>')
    .description(
      'subscribe a queue (name or ARN) to a topic; an http(s) URL or a Lambda function ARN subscribes that',
    )
    .option(
      '--filter-policy <json|file>',
      'an SNS filter policy: JSON text, or a file holding it (- for stdin)',
      filterPolicy,
    )
    .addOption(
      new Option('--scope <scope>', 'what the filter policy looks at').choices(['attributes', 'body']),
    )
    .option('--raw', 'deliver the body as published, attributes as queue attributes (no SNS envelope)')
    .addOption(
      new Option('--protocol <protocol>', 'override the protocol guessed from the endpoint').choices([
        'queue',
        'http',
        'https',
        'lambda',
      ]),
    )
    .addHelpText(
      'after',
      `\nExamples:\n  dq subscribe orders paid-orders --scope body --filter-policy '{"state":["paid"]}' --raw\n` +
        '  dq subscribe orders audit\n  dq subscribe alerts pager --filter-policy policy.json',
    )
    .action(async (topic: string, endpoint: string, options: SubscribeOptions, command: Command) => {
      const { client, out } = await contextOf(command);
      const subscription = await client.post<Subscription>(`${topicPath(topic)}/subscriptions`, {
        protocol: options.protocol ?? protocolOf(endpoint),
        endpoint,
        ...(options.filterPolicy ? { filterPolicy: options.filterPolicy } : {}),
        ...(options.scope ? { filterPolicyScope: options.scope } : {}),
        ...(options.raw ? { rawDelivery: true } : {}),
      } satisfies CreateSubscriptionRequest);
      out.result(subscription, () =>
        [
          `Subscribed ${endpointName(subscription)} to ${topic}: subscription ${subscription.id}`,
          ...(subscription.filterPolicy
            ? [`  filter (${subscription.filterPolicyScope}): ${JSON.stringify(subscription.filterPolicy)}`]
            : []),
          ...(subscription.pendingConfirmation
            ? ['  pending: the endpoint must confirm the subscription before it gets messages']
            : []),
        ].join('\n'),
      );
    });

  program
    .command('unsubscribe <topic> [id]')
    .description('remove a subscription, by topic and id (as dq subscriptions shows) or by its ARN alone')
    .action(async (topicOrArn: string, id: string | undefined, _options: unknown, command: Command) => {
      const [topic, subscription] = id ? [topicOrArn, id] : fromArn(topicOrArn);
      const { client, out } = await contextOf(command);
      await client.delete(`${topicPath(topic)}/subscriptions/${encodeURIComponent(subscription)}`);
      out.result({ unsubscribed: subscription, topic }, () => `Unsubscribed ${subscription} from ${topic}`);
    });

  program
    .command('subscriptions <topic>')
    .alias('subs')
    .description("a topic's subscriptions, with their filter policies")
    .action(async (topic: string, _options: unknown, command: Command) => {
      const { client, out } = await contextOf(command);
      const all: Subscription[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.get<SubscriptionPage>(`${topicPath(topic)}/subscriptions`, { nextToken });
        all.push(...page.subscriptions);
        nextToken = page.nextToken;
      } while (nextToken);
      out.result({ subscriptions: all }, () =>
        all.length === 0
          ? `No subscriptions on ${topic}. Add one with: dq subscribe ${topic} <queue>`
          : table(all, [
              { header: 'ID', value: (s) => s.id },
              { header: 'PROTOCOL', value: (s) => s.protocol },
              { header: 'ENDPOINT', value: (s) => endpointName(s) },
              { header: 'DELIVERY', value: (s) => (s.rawDelivery ? 'raw' : 'envelope') },
              { header: 'STATUS', value: (s) => (s.pendingConfirmation ? 'pending' : 'confirmed') },
              {
                header: 'FILTER',
                value: (s) =>
                  s.filterPolicy
                    ? `${s.filterPolicyScope}: ${oneLine(JSON.stringify(s.filterPolicy), 70)}`
                    : '',
              },
            ]),
      );
    });
}

interface SubscribeOptions {
  filterPolicy?: Record<string, unknown>;
  scope?: 'attributes' | 'body';
  raw?: boolean;
  protocol?: Protocol;
}

/** What an endpoint looks like says how to reach it. */
export function protocolOf(endpoint: string): Protocol {
  if (endpoint.startsWith('https://')) return 'https';
  if (endpoint.startsWith('http://')) return 'http';
  if (endpoint.startsWith('arn:aws:lambda:')) return 'lambda';
  return 'queue';
}

/** A queue by its name (the last part of its ARN); anything else as given. */
function endpointName(s: Subscription): string {
  return s.protocol === 'queue' && s.endpoint.startsWith('arn:aws:sqs:')
    ? (s.endpoint.split(':')[5] ?? s.endpoint)
    : s.endpoint;
}

/** `arn:aws:sns:<region>:<account>:<topic>:<id>` -> [topic, id]. */
function fromArn(arn: string): [string, string] {
  const parts = arn.split(':');
  if (parts.length !== 7 || parts[2] !== 'sns' || !parts[5] || !parts[6]) {
    throw new UsageError(
      `expected a topic and a subscription id, or a subscription ARN, but ${arn} was given`,
      'dq unsubscribe <topic> <id> (dq subscriptions <topic> lists the ids)',
    );
  }
  return [parts[5], parts[6]];
}

/** JSON text, or a file (- for stdin) holding it; it must be a JSON object. */
export function filterPolicy(value: string): Record<string, unknown> {
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    try {
      text = readFileSync(value === '-' ? 0 : value, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--filter-policy is neither JSON nor a readable file: ${(error as Error).message}`,
        `give the policy inline, e.g. --filter-policy '{"state":["paid"]}', or a file holding it`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--filter-policy is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError('--filter-policy must be a JSON object, e.g. {"state":["paid"]}');
  }
  return parsed as Record<string, unknown>;
}
