import type { Clock } from '../queue/clock';

/**
 * What happened to a topic's messages, counted per process and written out cheaply: one UpdateItem
 * ADD per topic every `flushIntervalMs`, by the publish (or sweep) that finds a flush due, instead
 * of a write per message. Per topic: messages published and those that matched no subscription
 * (dropped); per subscription: messages it matched, delivered, filtered out, and deliveries given
 * up. A failed write keeps its counts for the next flush; counting never fails a publish. Counts
 * still in memory when a process ends unannounced are lost: the figures are approximate, like the
 * queues' statistics.
 */
export const topicCounterNames = ['published', 'unmatched'] as const;
export const subscriptionCounterNames = ['matched', 'delivered', 'filteredOut', 'dropped'] as const;
export type TopicCounter = (typeof topicCounterNames)[number];
export type SubscriptionCounter = (typeof subscriptionCounterNames)[number];

/** Counts of one topic: its own under `topic`, each subscription's under its id. */
export interface TopicCounts {
  topic: Partial<Record<TopicCounter, number>>;
  subscriptions: Record<string, Partial<Record<SubscriptionCounter, number>>>;
}

export interface TopicStatsStore {
  addTopicCounts(topicId: string, counts: TopicCounts): Promise<void>;
  readTopicCounts(topicId: string): Promise<TopicCounts>;
}

export class TopicStatsRecorder {
  private pending = new Map<string, TopicCounts>();
  private lastFlushAt: number;

  constructor(
    private readonly store: TopicStatsStore,
    private readonly clock: Clock,
    private readonly flushIntervalMs = 10_000,
  ) {
    this.lastFlushAt = clock.now();
  }

  countTopic(topicId: string, counter: TopicCounter, n = 1): void {
    if (n <= 0) return;
    const counts = this.bucket(topicId);
    counts.topic[counter] = (counts.topic[counter] ?? 0) + n;
  }

  countSubscription(topicId: string, subscriptionId: string, counter: SubscriptionCounter, n = 1): void {
    if (n <= 0) return;
    const counts = this.bucket(topicId);
    counts.subscriptions[subscriptionId] ??= {};
    const one = counts.subscriptions[subscriptionId];
    one[counter] = (one[counter] ?? 0) + n;
  }

  /** Writes the counts when the interval has passed; never throws. */
  async flushIfDue(): Promise<void> {
    const now = this.clock.now();
    if (
      this.pending.size === 0 ||
      (now - this.lastFlushAt < this.flushIntervalMs && now >= this.lastFlushAt)
    ) {
      return;
    }
    await this.flush();
  }

  /** Writes every pending count now; what fails stays pending. Never throws. */
  async flush(): Promise<void> {
    this.lastFlushAt = this.clock.now();
    const batch = this.pending;
    this.pending = new Map();
    await Promise.all(
      [...batch].map(async ([topicId, counts]) => {
        try {
          await this.store.addTopicCounts(topicId, counts);
        } catch {
          this.merge(topicId, counts);
        }
      }),
    );
  }

  private bucket(topicId: string): TopicCounts {
    let counts = this.pending.get(topicId);
    if (!counts) {
      counts = { topic: {}, subscriptions: {} };
      this.pending.set(topicId, counts);
    }
    return counts;
  }

  private merge(topicId: string, counts: TopicCounts): void {
    for (const [name, n] of Object.entries(counts.topic)) this.countTopic(topicId, name as TopicCounter, n);
    for (const [id, one] of Object.entries(counts.subscriptions)) {
      for (const [name, n] of Object.entries(one)) {
        this.countSubscription(topicId, id, name as SubscriptionCounter, n);
      }
    }
  }
}
