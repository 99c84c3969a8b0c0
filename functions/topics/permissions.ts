import type { TopicsContext } from './context';
import { invalidParameter, topicNotFound } from './errors';
import { type TopicRef, topicArn } from './model';
import { setTopicAttribute, topicAttributes } from './topics';

/**
 * AddPermission and RemovePermission edit the topic's access policy, one statement per label, as
 * SNS does. The policy is stored and reported; this service authorizes by access key, not by it.
 */
interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: { Sid?: string; [key: string]: unknown }[];
}

const snsActions = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
  'Receive',
]);

export async function addPermission(
  ctx: TopicsContext,
  ref: TopicRef,
  input: { label: string; accounts: string[]; actions: string[] },
): Promise<void> {
  if (input.accounts.length === 0) throw invalidParameter('Invalid parameter: AWSAccountId', 'AWSAccountId');
  if (input.actions.length === 0) throw invalidParameter('Invalid parameter: ActionName', 'ActionName');
  for (const action of input.actions) {
    if (!snsActions.has(action))
      throw invalidParameter(
        'Invalid parameter: Policy statement action out of service scope!',
        'ActionName',
      );
  }
  const policy = await currentPolicy(ctx, ref);
  if (policy.Statement.some((s) => s.Sid === input.label)) {
    throw invalidParameter('Invalid parameter: Statement already exists', 'Label');
  }
  policy.Statement.push({
    Sid: input.label,
    Effect: 'Allow',
    Principal: { AWS: input.accounts.map((account) => `arn:aws:iam::${account}:root`) },
    Action: input.actions.map((action) => `SNS:${action}`),
    Resource: topicArn(ref),
  });
  await saveAsAttribute(ctx, ref, policy);
}

export async function removePermission(ctx: TopicsContext, ref: TopicRef, label: string): Promise<void> {
  const policy = await currentPolicy(ctx, ref);
  const kept = policy.Statement.filter((s) => s.Sid !== label);
  if (kept.length === policy.Statement.length) {
    throw invalidParameter(`Invalid parameter: Statement with Sid ${label} does not exist`, 'Label');
  }
  await saveAsAttribute(ctx, ref, { ...policy, Statement: kept });
}

async function currentPolicy(ctx: TopicsContext, ref: TopicRef): Promise<PolicyDocument> {
  const attributes = await topicAttributes(ctx, ref);
  const text = attributes.Policy;
  if (text === undefined) throw topicNotFound();
  const parsed = JSON.parse(text) as PolicyDocument;
  if (!Array.isArray(parsed.Statement)) parsed.Statement = [];
  return parsed;
}

async function saveAsAttribute(ctx: TopicsContext, ref: TopicRef, policy: PolicyDocument): Promise<void> {
  await setTopicAttribute(ctx, ref, 'Policy', JSON.stringify(policy));
}
