import type { FilterPolicy, FilterPolicyScope } from './filter-policy/validate';

/**
 * The vocabulary of topics: a topic, its subscriptions, and a published message on its way to
 * them. Topics live in an account and region, as in SNS; their ARN is
 * `arn:aws:sns:<region>:<account>:<name>`, a subscription's `<topic ARN>:<subscription id>`.
 */
export interface TopicRef {
  account: string;
  region: string;
  name: string;
}

export interface TopicRecord {
  ref: TopicRef;
  /** Random, fixed at creation: a topic deleted and created again is a new topic. */
  id: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  /** SNS attributes stored as given and reported back (DisplayName, Policy, DeliveryPolicy, ...). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
}

export type SubscriptionProtocol = 'sqs' | 'http' | 'https' | 'lambda';

export interface SubscriptionRecord {
  topic: TopicRef;
  topicId: string;
  id: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  owner: string;
  rawMessageDelivery: boolean;
  filterPolicy?: FilterPolicy;
  /** The policy's text as the caller gave it, returned by GetSubscriptionAttributes. */
  filterPolicyText?: string;
  filterPolicyScope: FilterPolicyScope;
  /** Other subscription attributes stored as given (RedrivePolicy, DeliveryPolicy, ...). */
  attributes: Record<string, string>;
  pendingConfirmation: boolean;
  /** http(s): the token ConfirmSubscription must present. */
  confirmationToken?: string;
  createdAt: number;
}

/** A message attribute in SNS's types: String, String.Array, Number (and custom suffixes), Binary. */
export interface TopicMessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64 of the bytes. */
  binaryValue?: string;
}

export type TopicMessageAttributes = Record<string, TopicMessageAttribute>;

/** One delivery still owed: a subscription and what it needs to be delivered without reading it again. */
export interface DeliveryTarget {
  subscriptionId: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  raw: boolean;
  /** The subscription's dead-letter queue (RedrivePolicy deadLetterTargetArn), if it has one. */
  deadLetterQueue?: string;
  /** http(s): the retry policy in force (delivery-policy.ts), and the attempts made so far. */
  retries?: RetryPolicy;
  attempts?: number;
  /** Not to be tried again before this time (ms). */
  retryAt?: number;
  /** The delivery failed for good and only its dead-letter send is owed (that send met a retryable error). */
  deadLetterOnly?: true;
}

/** SNS's healthy retry policy, as far as this service applies it (delivery-policy.ts). */
export interface RetryPolicy {
  numRetries: number;
  minDelayTarget: number;
  maxDelayTarget: number;
  backoffFunction: string;
}

/** A published message, as the outbox keeps it until every target has it. */
export interface PublishedMessage {
  messageId: string;
  topic: TopicRef;
  topicId: string;
  fifo: boolean;
  body: string;
  subject?: string;
  attributes: TopicMessageAttributes;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  publishedAt: number;
  /** `<scheme>://<host>` of the service the publisher called, for the envelope's URLs. */
  baseUrl: string;
  /** The topic's SignatureVersion when '2' (SHA256withRSA); '1' otherwise. */
  signatureVersion?: '2';
}

export interface OutboxEntry {
  message: PublishedMessage;
  targets: DeliveryTarget[];
  /** Which outbox shard and key hold it (the store's business; passed back on update). */
  key: string;
}

/**
 * Where the service serves the certificate of its notification-signing key (SigningCertURL):
 * public, as SNS's own certificates are.
 */
export const signingCertificatePath = '/sns/signing-certificate.pem';

export const topicArn = (ref: TopicRef) => `arn:aws:sns:${ref.region}:${ref.account}:${ref.name}`;

export const subscriptionArn = (topic: TopicRef, id: string) => `${topicArn(topic)}:${id}`;

/** Topic names: 1..256 of [A-Za-z0-9_-], with `.fifo` at the end for FIFO topics. */
export const topicNamePattern = /^[A-Za-z0-9_-]{1,256}$/;
export const fifoTopicNamePattern = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export function parseTopicArn(arn: string): TopicRef | undefined {
  const match = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, account: match[2]!, name: match[3]! };
}

export function parseSubscriptionArn(arn: string): { topic: TopicRef; id: string } | undefined {
  const at = arn.lastIndexOf(':');
  const topic = parseTopicArn(arn.slice(0, at));
  const id = arn.slice(at + 1);
  if (!topic || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return { topic, id };
}

/** What a publisher hands over (REST, SNS Publish and PublishBatch entries). */
export interface PublishInput {
  body: string | undefined;
  subject?: string;
  messageStructure?: string;
  attributes?: TopicMessageAttributes;
  groupId?: string;
  deduplicationId?: string;
}
