import type { KeyObject } from 'node:crypto';
import type { Clock } from '../queue/clock';
import type { QueueContext } from '../queue/context';
import type { SubscriptionRecord, TopicRecord, TopicRef } from './model';
import type { FunctionInvoker, HttpEndpoints, TopicStore } from './port';
import { SequenceNumbers } from './sequence';
import { type SigningIdentity, signingIdentityLoader } from './signing';
import { type TopicCounts, TopicStatsRecorder, type TopicStatsStore } from './statistics';

/** What every topic operation needs: its storage, the queue it delivers through, time and a signing key. */
export interface TopicsContext {
  store: TopicStore;
  /** Deliveries to queues go through the queue's own send, like any other sender's. */
  queue: QueueContext;
  clock: Clock;
  /**
   * The key notifications are signed with (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) and
   * its certificate, loaded on first use so that functions that never deliver do not pay for it.
   */
  signing: () => Promise<SigningIdentity>;
  cache: TopicCache;
  /** Delivers to http(s) subscribers; without it, their deliveries wait in the outbox. */
  endpoints?: HttpEndpoints;
  /** Invokes lambda subscribers (deployed only); without it their deliveries are dropped. */
  functions?: FunctionInvoker;
  sequence: SequenceNumbers;
  /** An outbox entry older than this is finished by the sweeper (a publish that died mid-fan-out). */
  outboxGraceMs: number;
  /**
   * How many deliveries Publish makes before it answers; a topic with more matching subscriptions
   * leaves the rest to the sweeper's next run.
   */
  inlineDeliveries: number;
  /** Counts of published, unmatched, delivered and filtered-out messages (statistics.ts). */
  stats: TopicStatsRecorder;
  statsStore: TopicStatsStore;
}

export interface TopicsContextOptions {
  store: TopicStore;
  queue: QueueContext;
  clock?: Clock;
  signingKey?: KeyObject;
  endpoints?: HttpEndpoints;
  functions?: FunctionInvoker;
  cacheMs?: number;
  outboxGraceMs?: number;
  inlineDeliveries?: number;
  /** Where the counts go; without one nothing is counted (tests of other things). */
  statsStore?: TopicStatsStore;
  statsFlushMs?: number;
}

export function createTopicsContext(options: TopicsContextOptions): TopicsContext {
  const clock = options.clock ?? options.queue.clock;
  const statsStore = options.statsStore ?? noStats;
  return {
    store: options.store,
    queue: options.queue,
    clock,
    signing: signingIdentityLoader(options.store, () => clock.now(), options.signingKey),
    cache: new TopicCache(options.store, clock, options.cacheMs ?? 2_000),
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.functions ? { functions: options.functions } : {}),
    sequence: new SequenceNumbers(),
    outboxGraceMs: options.outboxGraceMs ?? 60_000,
    inlineDeliveries: options.inlineDeliveries ?? 20,
    stats: new TopicStatsRecorder(statsStore, clock, options.statsFlushMs ?? 10_000),
    statsStore,
  };
}

/**
 * A topic and its subscriptions are read on every publish; caching them briefly saves two reads
 * per publish. Changes made in this process are seen at once; changes made elsewhere within
 * `ttlMs` (SNS documents that subscription and filter changes take effect eventually too).
 */
export class TopicCache {
  private readonly topics = new Map<string, { value: TopicRecord | undefined; at: number }>();
  private readonly subscriptions = new Map<string, { value: SubscriptionRecord[]; at: number }>();

  constructor(
    private readonly store: TopicStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async topic(ref: TopicRef): Promise<TopicRecord | undefined> {
    const key = refKey(ref);
    const hit = this.topics.get(key);
    const now = this.clock.now();
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) return hit.value;
    const value = await this.store.getTopic(ref);
    this.topics.set(key, { value, at: now });
    return value;
  }

  async subscriptionsOf(topic: TopicRecord): Promise<SubscriptionRecord[]> {
    const key = `${refKey(topic.ref)}/${topic.id}`;
    const hit = this.subscriptions.get(key);
    const now = this.clock.now();
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) return hit.value;
    const value: SubscriptionRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.store.listSubscriptions(
        { ...topic.ref, topic: topic.ref.name },
        100,
        nextToken,
      );
      value.push(...page.items.filter((s) => s.topicId === topic.id));
      nextToken = page.nextToken;
    } while (nextToken);
    this.subscriptions.set(key, { value, at: now });
    return value;
  }

  forget(ref: TopicRef): void {
    this.topics.delete(refKey(ref));
    for (const key of this.subscriptions.keys()) {
      if (key.startsWith(`${refKey(ref)}/`)) this.subscriptions.delete(key);
    }
  }
}

const noStats: TopicStatsStore = {
  addTopicCounts: async () => undefined,
  readTopicCounts: async (): Promise<TopicCounts> => ({ topic: {}, subscriptions: {} }),
};
const refKey = (ref: TopicRef) => `${ref.account}/${ref.region}/${ref.name}`;
