import type { Runtime } from '../../handlers/runtime';
import { topicArn } from '../../topics/model';
import { addPermission, removePermission } from '../../topics/permissions';
import {
  createTopic,
  deleteTopic,
  listTopics,
  setTopicAttribute,
  tagTopic,
  topicAttributes,
  topicRefFromArn,
  topicTags,
  untagTopic,
} from '../../topics/topics';
import { entryMap, optionalString, type QueryTree, requiredString, stringMembers, tagList } from './query';
import { entries, type XmlNode } from './xml';

/** One decoded SNS call, as every action receives it. */
export interface SnsCall {
  runtime: Runtime;
  params: QueryTree;
  /** The verified access key's account (else the configured one), and the signed region. */
  account: string;
  region: string;
  /** `<scheme>://<host>` of the request, for URLs in notifications. */
  baseUrl: string;
}

/** An action's result element, or undefined for actions that answer with metadata only. */
export type SnsAction = (call: SnsCall) => Promise<XmlNode | undefined>;

const callerOf = (call: SnsCall) => ({ account: call.account, region: call.region });
export const topicOf = (call: SnsCall, field = 'TopicArn') =>
  topicRefFromArn(optionalString(call.params, field), callerOf(call), field);

export const CreateTopic: SnsAction = async (call) => {
  const name = requiredString(call.params, 'Name');
  const { topic } = await createTopic(
    call.runtime.topics,
    { account: call.account, region: call.region, name },
    {
      attributes: entryMap(call.params, 'Attributes'),
      ...(call.params.Tags ? { tags: tagList(call.params) } : {}),
    },
  );
  return { TopicArn: topicArn(topic.ref) };
};

export const DeleteTopic: SnsAction = async (call) => {
  await deleteTopic(call.runtime.topics, topicOf(call));
  return undefined;
};

export const ListTopics: SnsAction = async (call) => {
  const page = await listTopics(
    call.runtime.topics,
    callerOf(call),
    optionalString(call.params, 'NextToken'),
  );
  return {
    Topics: { member: page.items.map((t) => ({ TopicArn: topicArn(t.ref) })) },
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

export const GetTopicAttributes: SnsAction = async (call) => ({
  Attributes: entries(await topicAttributes(call.runtime.topics, topicOf(call))),
});

export const SetTopicAttributes: SnsAction = async (call) => {
  await setTopicAttribute(
    call.runtime.topics,
    topicOf(call),
    requiredString(call.params, 'AttributeName'),
    optionalString(call.params, 'AttributeValue'),
  );
  return undefined;
};

export const TagResource: SnsAction = async (call) => {
  await tagTopic(call.runtime.topics, topicOf(call, 'ResourceArn'), tagList(call.params));
  return {};
};

export const UntagResource: SnsAction = async (call) => {
  await untagTopic(call.runtime.topics, topicOf(call, 'ResourceArn'), stringMembers(call.params, 'TagKeys'));
  return {};
};

export const ListTagsForResource: SnsAction = async (call) => {
  const tags = await topicTags(call.runtime.topics, topicOf(call, 'ResourceArn'));
  return { Tags: { member: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } };
};

export const AddPermission: SnsAction = async (call) => {
  await addPermission(call.runtime.topics, topicOf(call), {
    label: requiredString(call.params, 'Label'),
    accounts: stringMembers(call.params, 'AWSAccountId'),
    actions: stringMembers(call.params, 'ActionName'),
  });
  return undefined;
};

export const RemovePermission: SnsAction = async (call) => {
  await removePermission(call.runtime.topics, topicOf(call), requiredString(call.params, 'Label'));
  return undefined;
};
