import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  type SubscriptionCounter,
  subscriptionCounterNames,
  type TopicCounter,
  type TopicCounts,
  type TopicStatsStore,
  topicCounterNames,
} from '../topics/statistics';
import { DynamoBase } from './base';
import type { CapacityReport } from './calls';

/**
 * A topic's counts, one item of the messages table per topic incarnation, added to with ADD (never
 * read and rewritten, so writers in many processes combine):
 *
 *   topic counts  pk `ts#<topic id>`  sk `c`   p (published), u (unmatched),
 *                 `<m|d|f|x>#<subscription id>` (matched, delivered, filtered out, dropped)
 */
const topicAttribute: Record<TopicCounter, string> = { published: 'p', unmatched: 'u' };
const subscriptionPrefix: Record<SubscriptionCounter, string> = {
  matched: 'm',
  delivered: 'd',
  filteredOut: 'f',
  dropped: 'x',
};

const keyOf = (topicId: string) => ({ pk: { S: `ts#${topicId}` }, sk: { S: 'c' } });

export class DynamoTopicStatsStore extends DynamoBase implements TopicStatsStore {
  constructor(options: { client: DynamoDBClient; table: string; onConsumed?: CapacityReport }) {
    super({
      client: options.client,
      tables: { messages: options.table },
      ...(options.onConsumed ? { onConsumed: options.onConsumed } : {}),
    });
  }

  async addTopicCounts(topicId: string, counts: TopicCounts): Promise<void> {
    const additions: [string, number][] = [
      ...Object.entries(counts.topic).map(
        ([name, n]) => [topicAttribute[name as TopicCounter], n] as [string, number],
      ),
      ...Object.entries(counts.subscriptions).flatMap(([id, one]) =>
        Object.entries(one).map(
          ([name, n]) => [`${subscriptionPrefix[name as SubscriptionCounter]}#${id}`, n] as [string, number],
        ),
      ),
    ].filter(([, n]) => n > 0);
    if (additions.length === 0) return;
    await this.run('addTopicCounts', (c) =>
      this.client.send(
        new UpdateItemCommand({
          ...c,
          TableName: this.messages,
          Key: keyOf(topicId),
          UpdateExpression: `ADD ${additions.map((_, i) => `#a${i} :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(additions.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(
            additions.map(([, n], i) => [`:v${i}`, { N: String(n) }]),
          ),
        }),
      ),
    );
  }

  async readTopicCounts(topicId: string): Promise<TopicCounts> {
    const out = await this.run('readTopicCounts', (c) =>
      this.client.send(new GetItemCommand({ ...c, TableName: this.messages, Key: keyOf(topicId) })),
    );
    const counts: TopicCounts = { topic: {}, subscriptions: {} };
    const item = out.Item ?? {};
    for (const name of topicCounterNames) {
      const value = item[topicAttribute[name]]?.N;
      if (value !== undefined) counts.topic[name] = Number(value);
    }
    for (const name of subscriptionCounterNames) {
      const prefix = `${subscriptionPrefix[name]}#`;
      for (const [attribute, value] of Object.entries(item)) {
        if (!attribute.startsWith(prefix) || value.N === undefined) continue;
        const id = attribute.slice(prefix.length);
        counts.subscriptions[id] ??= {};
        counts.subscriptions[id][name] = Number(value.N);
      }
    }
    return counts;
  }
}
