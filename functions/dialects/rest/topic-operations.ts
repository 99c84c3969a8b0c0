import { defaultRetryPolicy, targetOf } from '../../topics/delivery-policy';
import type { SubscriptionRecord, TopicRecord, TopicRef } from '../../topics/model';
import { subscriptionArn, topicArn } from '../../topics/model';
import { publish, publishBatch } from '../../topics/publish';
import {
  applyAttribute,
  listSubscriptions,
  requireSubscription,
  subscribe,
  unsubscribe,
} from '../../topics/subscriptions';
import { createTopic, deleteTopic, listTopics, requireTopic } from '../../topics/topics';
import { type HttpEvent, json, noContent } from '../http';
import type { Runtime } from '../runtime';
import { baseUrlOf } from '../sqs/queue-url';
import { check, parseBody } from './parse';
import * as schemas from './topic-schemas';

/**
 * The REST routes of topics: the same topic operations the SNS dialect calls, in the REST
 * conventions of queues (names in paths, 201/200/204, problem+json errors).
 */
type Operation = (event: HttpEvent, runtime: Runtime) => Promise<ReturnType<typeof json>>;

const topicOf = (event: HttpEvent, runtime: Runtime): TopicRef => ({
  account: runtime.account,
  region: runtime.region,
  name: event.pathParameters?.name ?? '',
});

const caller = (runtime: Runtime) => ({ account: runtime.account, region: runtime.region });

function topicRepresentation(topic: TopicRecord) {
  return {
    name: topic.ref.name,
    arn: topicArn(topic.ref),
    fifo: topic.fifo,
    contentBasedDeduplication: topic.contentBasedDeduplication,
    tags: topic.tags,
    createdAt: new Date(topic.createdAt).toISOString(),
  };
}

function subscriptionRepresentation(s: SubscriptionRecord) {
  return {
    id: s.id,
    arn: subscriptionArn(s.topic, s.id),
    topic: s.topic.name,
    protocol: s.protocol === 'sqs' ? 'queue' : s.protocol,
    endpoint: s.endpoint,
    ...(s.filterPolicy ? { filterPolicy: s.filterPolicy } : {}),
    filterPolicyScope: s.filterPolicyScope === 'MessageBody' ? 'body' : 'attributes',
    rawDelivery: s.rawMessageDelivery,
    pendingConfirmation: s.pendingConfirmation,
    ...deliveryPoliciesOf(s),
  };
}

/** REST's deadLetterQueue (a queue name or ARN) as SNS's RedrivePolicy. */
function redrivePolicy(queue: string, runtime: Runtime): string {
  const arn = queue.startsWith('arn:') ? queue : `arn:aws:sqs:${runtime.region}:${runtime.account}:${queue}`;
  return JSON.stringify({ deadLetterTargetArn: arn });
}

/** REST's retryPolicy as SNS's DeliveryPolicy (its healthyRetryPolicy; delays in seconds). */
function deliveryPolicy(policy: {
  numRetries: number;
  minDelaySeconds?: number | undefined;
  maxDelaySeconds?: number | undefined;
  backoff?: 'linear' | 'exponential' | undefined;
}): string {
  const minDelayTarget = policy.minDelaySeconds ?? defaultRetryPolicy.minDelayTarget;
  return JSON.stringify({
    healthyRetryPolicy: {
      numRetries: policy.numRetries,
      minDelayTarget,
      maxDelayTarget: Math.max(minDelayTarget, policy.maxDelaySeconds ?? defaultRetryPolicy.maxDelayTarget),
      backoffFunction: policy.backoff ?? 'linear',
    },
  });
}

/**
 * The subscription's policies as REST shows them, read as deliveries read them (a topic-wide
 * DeliveryPolicy, set through SNS, is not shown here).
 */
function deliveryPoliciesOf(s: SubscriptionRecord) {
  const target = targetOf(s, { attributes: {} });
  return {
    ...(target.deadLetterQueue ? { deadLetterQueue: target.deadLetterQueue } : {}),
    ...(target.retries
      ? {
          retryPolicy: {
            numRetries: target.retries.numRetries,
            minDelaySeconds: target.retries.minDelayTarget,
            maxDelaySeconds: target.retries.maxDelayTarget,
            backoff: target.retries.backoffFunction,
          },
        }
      : {}),
  };
}

const scopeName = (scope: 'attributes' | 'body') => (scope === 'body' ? 'MessageBody' : 'MessageAttributes');

/** A topic's counts, this process's pending ones written first so that they show. */
async function countsOf(runtime: Runtime, topicId: string) {
  await runtime.topics.stats.flush();
  return runtime.topics.statsStore.readTopicCounts(topicId);
}

/** A subscription of the named topic, by id. */
async function subscriptionOf(event: HttpEvent, runtime: Runtime) {
  const topic = topicOf(event, runtime);
  const arn = subscriptionArn(topic, event.pathParameters?.id ?? '');
  return requireSubscription(runtime.topics, arn, caller(runtime));
}

export const topicOperations: Record<string, Operation> = {
  createTopic: async (event, runtime) => {
    const body = parseBody(event, schemas.createTopicRequest);
    const attributes: Record<string, string> = {};
    if (body.fifo) attributes.FifoTopic = 'true';
    if (body.contentBasedDeduplication !== undefined) {
      attributes.ContentBasedDeduplication = String(body.contentBasedDeduplication);
    }
    const { topic, created } = await createTopic(
      runtime.topics,
      { ...caller(runtime), name: body.name },
      { attributes, ...(body.tags ? { tags: body.tags } : {}) },
    );
    const result = json(created ? 201 : 200, topicRepresentation(topic));
    result.headers = { ...result.headers, location: `/topics/${topic.ref.name}` };
    return result;
  },

  listTopics: async (event, runtime) => {
    const { nextToken } = check(schemas.listQuery, event.queryStringParameters ?? {});
    const page = await listTopics(runtime.topics, caller(runtime), nextToken);
    return json(200, {
      topics: page.items.map(topicRepresentation),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    });
  },

  getTopic: async (event, runtime) => {
    const topic = await requireTopic(runtime.topics, topicOf(event, runtime));
    const { topic: counts } = await countsOf(runtime, topic.id);
    return json(200, {
      ...topicRepresentation(topic),
      statistics: { published: counts.published ?? 0, unmatched: counts.unmatched ?? 0 },
    });
  },

  deleteTopic: async (event, runtime) => {
    const ref = topicOf(event, runtime);
    await requireTopic(runtime.topics, ref);
    await deleteTopic(runtime.topics, ref);
    return noContent();
  },

  createSubscription: async (event, runtime) => {
    const body = parseBody(event, schemas.createSubscriptionRequest);
    const ref = topicOf(event, runtime);
    const attributes: Record<string, string> = {};
    if (body.filterPolicyScope) attributes.FilterPolicyScope = scopeName(body.filterPolicyScope);
    if (body.filterPolicy) attributes.FilterPolicy = JSON.stringify(body.filterPolicy);
    if (body.rawDelivery !== undefined) attributes.RawMessageDelivery = String(body.rawDelivery);
    if (body.deadLetterQueue) attributes.RedrivePolicy = redrivePolicy(body.deadLetterQueue, runtime);
    if (body.retryPolicy) attributes.DeliveryPolicy = deliveryPolicy(body.retryPolicy);
    const endpoint =
      body.protocol === 'queue' && !body.endpoint.startsWith('arn:')
        ? `arn:aws:sqs:${runtime.region}:${runtime.account}:${body.endpoint}`
        : body.endpoint;
    const subscription = await subscribe(runtime.topics, ref, {
      protocol: body.protocol === 'queue' ? 'sqs' : body.protocol,
      endpoint,
      attributes,
      owner: runtime.account,
      baseUrl: baseUrlOf(event),
    });
    return json(201, subscriptionRepresentation(subscription));
  },

  listSubscriptions: async (event, runtime) => {
    const ref = topicOf(event, runtime);
    const topic = await requireTopic(runtime.topics, ref);
    const { nextToken } = check(schemas.listQuery, event.queryStringParameters ?? {});
    const page = await listSubscriptions(runtime.topics, { ...caller(runtime), topic: ref.name }, nextToken);
    const { subscriptions: counts } = await countsOf(runtime, topic.id);
    return json(200, {
      subscriptions: page.items.map((s) => {
        const one = counts[s.id] ?? {};
        return {
          ...subscriptionRepresentation(s),
          statistics: {
            matched: one.matched ?? 0,
            delivered: one.delivered ?? 0,
            filteredOut: one.filteredOut ?? 0,
            dropped: one.dropped ?? 0,
          },
        };
      }),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    });
  },

  updateSubscription: async (event, runtime) => {
    const body = parseBody(event, schemas.updateSubscriptionRequest);
    const subscription = await subscriptionOf(event, runtime);
    if (body.filterPolicyScope) {
      applyAttribute(
        subscription,
        'FilterPolicyScope',
        scopeName(body.filterPolicyScope),
        'Invalid parameter: ',
      );
    }
    if (body.filterPolicy !== undefined) {
      applyAttribute(
        subscription,
        'FilterPolicy',
        body.filterPolicy === null ? '' : JSON.stringify(body.filterPolicy),
        'Invalid parameter: ',
      );
    }
    if (body.rawDelivery !== undefined) {
      applyAttribute(subscription, 'RawMessageDelivery', String(body.rawDelivery), 'Invalid parameter: ');
    }
    if (body.deadLetterQueue !== undefined) {
      const value = body.deadLetterQueue === null ? '' : redrivePolicy(body.deadLetterQueue, runtime);
      applyAttribute(subscription, 'RedrivePolicy', value, 'Invalid parameter: ');
    }
    if (body.retryPolicy !== undefined) {
      const value = body.retryPolicy === null ? '' : deliveryPolicy(body.retryPolicy);
      applyAttribute(subscription, 'DeliveryPolicy', value, 'Invalid parameter: ');
    }
    await runtime.topics.store.putSubscription(subscription);
    runtime.topics.cache.forget(subscription.topic);
    return json(200, subscriptionRepresentation(subscription));
  },

  deleteSubscription: async (event, runtime) => {
    const topic = topicOf(event, runtime);
    await unsubscribe(
      runtime.topics,
      subscriptionArn(topic, event.pathParameters?.id ?? ''),
      caller(runtime),
    );
    return noContent();
  },

  publish: async (event, runtime) => {
    const body = parseBody(event, schemas.publishBatchRequest.or(schemas.publishRequest));
    const ref = topicOf(event, runtime);
    if ('messages' in body) {
      const result = await publishBatch(
        runtime.topics,
        ref,
        body.messages.map((m, index) => ({ ...m, id: m.id ?? String(index) })),
        baseUrlOf(event),
      );
      return json(200, result);
    }
    const result = await publish(runtime.topics, ref, body, baseUrlOf(event));
    return json(201, {
      messageId: result.messageId,
      ...(result.sequenceNumber ? { sequenceNumber: result.sequenceNumber } : {}),
      matched: result.matched,
    });
  },
};
