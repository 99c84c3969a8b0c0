import { randomUUID } from 'node:crypto';
import type { TopicsContext } from './context';
import { invalidParameter, TopicError, topicNotFound } from './errors';
import {
  fifoTopicNamePattern,
  parseTopicArn,
  type TopicRecord,
  type TopicRef,
  topicArn,
  topicNamePattern,
} from './model';
import type { Page } from './port';

/** Topics: create (idempotent, as in SNS), read, change, list, delete, tag. */

/** Topic attributes a caller may set; SNS refuses any other name. */
const settableAttributes = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'DataProtectionPolicy',
  'HTTPSuccessFeedbackRoleArn',
  'HTTPFailureFeedbackRoleArn',
  'HTTPSuccessFeedbackSampleRate',
  'SQSSuccessFeedbackRoleArn',
  'SQSFailureFeedbackRoleArn',
  'SQSSuccessFeedbackSampleRate',
  'LambdaSuccessFeedbackRoleArn',
  'LambdaFailureFeedbackRoleArn',
  'LambdaSuccessFeedbackSampleRate',
]);

export const maxTagsPerResource = 50;

export interface CreateTopicInput {
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export async function createTopic(
  ctx: TopicsContext,
  ref: TopicRef,
  input: CreateTopicInput = {},
): Promise<{ topic: TopicRecord; created: boolean }> {
  const attributes = { ...(input.attributes ?? {}) };
  const fifo = (attributes.FifoTopic ?? 'false').toLowerCase() === 'true';
  delete attributes.FifoTopic;
  if (fifo ? !fifoTopicNamePattern.test(ref.name) : !topicNamePattern.test(ref.name)) {
    throw invalidParameter(
      fifo
        ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
        : 'Invalid parameter: Topic Name',
      'name',
    );
  }
  const contentBasedDeduplication = takeBoolean(attributes, 'ContentBasedDeduplication');
  if (contentBasedDeduplication && !fifo) {
    throw invalidParameter(
      'Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics',
      'ContentBasedDeduplication',
    );
  }
  checkAttributeNames(attributes);
  const tags = input.tags ?? {};
  checkTags(tags);
  const now = ctx.clock.now();
  const topic: TopicRecord = {
    ref,
    id: randomUUID(),
    fifo,
    contentBasedDeduplication,
    attributes,
    tags,
    createdAt: now,
  };
  const outcome = await ctx.store.createTopic(topic);
  if (outcome.created) {
    ctx.cache.forget(ref);
    return { topic, created: true };
  }
  const existing = outcome.existing;
  const sameAttributes =
    existing.fifo === fifo &&
    (input.attributes?.ContentBasedDeduplication === undefined ||
      existing.contentBasedDeduplication === contentBasedDeduplication) &&
    Object.entries(attributes).every(([name, value]) => existing.attributes[name] === value);
  if (!sameAttributes) {
    throw new TopicError(
      'TopicExists',
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
      { field: 'attributes' },
    );
  }
  if (input.tags && Object.entries(input.tags).some(([key, value]) => existing.tags[key] !== value)) {
    throw new TopicError(
      'TopicExists',
      'Invalid parameter: Tags Reason: Topic already exists with different tags',
      {
        field: 'tags',
      },
    );
  }
  return { topic: existing, created: false };
}

export async function requireTopic(ctx: TopicsContext, ref: TopicRef): Promise<TopicRecord> {
  const topic = await ctx.store.getTopic(ref);
  if (!topic) throw topicNotFound();
  return topic;
}

/** A topic named by ARN in the caller's account and region; another account's is not found. */
export function topicRefFromArn(
  arn: string | undefined,
  caller: { account: string; region: string },
  field = 'TopicArn',
) {
  if (arn === undefined || arn === '') {
    throw invalidParameter(`Invalid parameter: ${field}`, field);
  }
  const ref = parseTopicArn(arn);
  if (!ref) throw invalidParameter(`Invalid parameter: ${field}`, field);
  if (ref.region !== caller.region) throw invalidParameter(`Invalid parameter: ${field}`, field);
  if (ref.account !== caller.account) throw topicNotFound();
  return ref;
}

export async function topicAttributes(ctx: TopicsContext, ref: TopicRef): Promise<Record<string, string>> {
  const topic = await requireTopic(ctx, ref);
  const subscriptions = await ctx.cache.subscriptionsOf(topic);
  const arn = topicArn(ref);
  const attributes: Record<string, string> = {
    TopicArn: arn,
    Owner: ref.account,
    DisplayName: '',
    Policy: defaultPolicy(arn, ref.account),
    SubscriptionsConfirmed: String(subscriptions.filter((s) => !s.pendingConfirmation).length),
    SubscriptionsPending: String(subscriptions.filter((s) => s.pendingConfirmation).length),
    SubscriptionsDeleted: '0',
    EffectiveDeliveryPolicy: JSON.stringify(defaultDeliveryPolicy),
    ...topic.attributes,
  };
  if (topic.fifo) {
    attributes.FifoTopic = 'true';
    attributes.ContentBasedDeduplication = String(topic.contentBasedDeduplication);
  }
  return attributes;
}

export async function setTopicAttribute(
  ctx: TopicsContext,
  ref: TopicRef,
  name: string,
  value: string | undefined,
): Promise<void> {
  const topic = await requireTopic(ctx, ref);
  if (name === 'ContentBasedDeduplication') {
    if (!topic.fifo) {
      throw invalidParameter(
        'Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics',
        'AttributeName',
      );
    }
    topic.contentBasedDeduplication = takeBoolean({ ContentBasedDeduplication: value ?? '' }, name);
  } else {
    checkAttributeNames({ [name]: value ?? '' });
    if (value === undefined || value === '') delete topic.attributes[name];
    else topic.attributes[name] = value;
  }
  if (!(await ctx.store.updateTopic(topic))) throw topicNotFound();
  ctx.cache.forget(ref);
}

/** Deleting a topic deletes its subscriptions; deleting one that does not exist succeeds, as in SNS. */
export async function deleteTopic(ctx: TopicsContext, ref: TopicRef): Promise<void> {
  const topic = await ctx.store.getTopic(ref);
  if (!topic) return;
  let nextToken: string | undefined;
  do {
    const page = await ctx.store.listSubscriptions({ ...ref, topic: ref.name }, 100, nextToken);
    for (const subscription of page.items) await ctx.store.deleteSubscription(ref, subscription.id);
    nextToken = page.nextToken;
  } while (nextToken);
  await ctx.store.deleteTopic(ref);
  ctx.cache.forget(ref);
}

export function listTopics(
  ctx: TopicsContext,
  caller: { account: string; region: string },
  nextToken?: string,
  limit = 100,
): Promise<Page<TopicRecord>> {
  return ctx.store.listTopics(caller.account, caller.region, limit, nextToken);
}

export async function tagTopic(
  ctx: TopicsContext,
  ref: TopicRef,
  tags: Record<string, string>,
): Promise<void> {
  const topic = await requireResource(ctx, ref);
  checkTags(tags);
  const merged = { ...topic.tags, ...tags };
  if (Object.keys(merged).length > maxTagsPerResource) {
    throw new TopicError(
      'TagLimitExceeded',
      'Could not complete request: tag quota of per resource exceeded',
    );
  }
  topic.tags = merged;
  if (!(await ctx.store.updateTopic(topic))) throw resourceNotFound();
}

export async function untagTopic(ctx: TopicsContext, ref: TopicRef, keys: string[]): Promise<void> {
  const topic = await requireResource(ctx, ref);
  for (const key of keys) delete topic.tags[key];
  if (!(await ctx.store.updateTopic(topic))) throw resourceNotFound();
}

export async function topicTags(ctx: TopicsContext, ref: TopicRef): Promise<Record<string, string>> {
  return (await requireResource(ctx, ref)).tags;
}

async function requireResource(ctx: TopicsContext, ref: TopicRef): Promise<TopicRecord> {
  const topic = await ctx.store.getTopic(ref);
  if (!topic) throw resourceNotFound();
  return topic;
}

const resourceNotFound = () => new TopicError('NotFound', 'Resource does not exist');

function checkAttributeNames(attributes: Record<string, string>): void {
  for (const name of Object.keys(attributes)) {
    if (!settableAttributes.has(name))
      throw invalidParameter('Invalid parameter: AttributeName', 'AttributeName');
  }
}

function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > maxTagsPerResource) {
    throw new TopicError(
      'TagLimitExceeded',
      'Could not complete request: tag quota of per resource exceeded',
    );
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128 || value.length > 256) {
      throw invalidParameter(
        'Invalid parameter: Tags Reason: tag keys must be 1..128 and values at most 256 characters',
        'tags',
      );
    }
  }
}

function takeBoolean(attributes: Record<string, string>, name: string): boolean {
  const value = attributes[name];
  delete attributes[name];
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw invalidParameter(`Invalid parameter: ${name}`, name);
  }
  return lower === 'true';
}

/** The policy SNS gives a new topic: its owner may do everything with it. */
function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}

const defaultDeliveryPolicy = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};
