import type * as z from 'zod';
import type * as archive from './archive-schemas';
import type * as consumerRequests from './consumer-schemas';
import type { browseQuery, startRedriveRequest } from './redrive-schemas';
import type * as replies from './response-schemas';
import type {
  changeVisibilityRequest,
  createQueueRequest,
  deleteBatchRequest,
  receiveRequest,
  sendBatchRequest,
  sendMessageRequest,
  updateQueueRequest,
} from './schemas';
import type * as topicReplies from './topic-schemas';

/**
 * The REST dialect's requests and replies as its clients (the web console, dq and the package's
 * QueueClient) see them: inferred from the zod schemas the service validates with, types its
 * replies by and documents in OpenAPI, so none of them can drift. Type-only: nothing here runs,
 * and a bundle that imports it (the console's) carries no zod.
 */

// Replies.
export type MessageCounts = z.output<typeof replies.messageCountsResponse>;
export type Queue = z.output<typeof replies.queueResponse>;
export type QueuePage = z.output<typeof replies.listQueuesResponse>;
export type MinuteStats = z.output<typeof replies.minuteStatsResponse>;
export type QueueStats = z.output<typeof replies.statsResponse>;
export type AttributeValue = z.output<typeof replies.attributeValueResponse>;
export type PeekedMessage = z.output<typeof replies.peekedMessageResponse>;
export type PeekResult = z.output<typeof replies.peekResponse>;
export type MessageState = PeekedMessage['state'];
export type DeadLetter = z.output<typeof replies.deadLetterResponse>;
export type DeadLetterPage = z.output<typeof replies.deadLettersResponse>;
export type RedriveTask = z.output<typeof replies.taskResponse>;
export type RedriveTaskList = z.output<typeof replies.taskListResponse>;
export type TaskStatus = RedriveTask['status'];
export type ReceivedMessage = z.output<typeof replies.receivedMessageResponse>;
export type ReceiveResult = z.output<typeof replies.receiveResponse>;
export type SendMessageResult = z.output<typeof replies.sendMessageResponse>;
export type BatchResult = z.output<typeof replies.batchResponse>;
export type Consumer = z.output<typeof replies.consumerResponse>;
export type ConsumerList = z.output<typeof replies.consumerListResponse>;
export type PurgeResult = z.output<typeof replies.purgeResponse>;
/** An RFC 9457 problem body, as the service sends it with every 4xx and 5xx it answers itself. */
export type Problem = z.output<typeof replies.problemResponse>;
/**
 * What a client knows of a failed call: the problem body when the service answered with one, less
 * when API Gateway refused the request itself (`{"message": "Forbidden"}`) or nothing answered.
 */
export type ProblemDetails = Partial<Problem> & { status: number };

// Requests: what a client may send (z.input: before defaults and transforms).
export type CreateQueueRequest = z.input<typeof createQueueRequest>;
export type UpdateQueueRequest = z.input<typeof updateQueueRequest>;
export type SendMessageRequest = z.input<typeof sendMessageRequest>;
export type SendBatchEntry = z.input<typeof sendBatchRequest>['messages'][number];
export type ReceiveRequest = z.input<typeof receiveRequest>;
export type DeleteBatchEntry = z.input<typeof deleteBatchRequest>['entries'][number];
export type ChangeVisibilityRequest = z.input<typeof changeVisibilityRequest>;
export type RedriveRequest = z.input<typeof startRedriveRequest>;
export type CreateConsumerRequest = z.input<typeof consumerRequests.createConsumerRequest>;
export type UpdateConsumerRequest = z.input<typeof consumerRequests.updateConsumerRequest>;
/** Query parameters of GET /queues/{name}/dead-letters, as numbers and strings before encoding. */
export type DeadLetterBrowseQuery = z.output<typeof browseQuery>;

// The archive and replays (their schemas live in archive-schemas.ts).
export type ArchivedMessage = z.output<typeof archive.archivedMessageResponse>;
export type ArchivePage = z.output<typeof archive.archiveResponse>;
export type Replay = z.output<typeof archive.replayResponse>;
export type ReplayList = z.output<typeof archive.replayListResponse>;
export type ReplayRequest = z.input<typeof archive.startReplayRequest>;
/** Query parameters of GET /queues/{name}/archive, as numbers and strings before encoding. */
export type ArchiveBrowseQuery = z.output<typeof archive.browseArchiveQuery>;

// Topics (their schemas live in topic-schemas.ts).
export type Topic = z.output<typeof topicReplies.topicResponse>;
export type TopicPage = z.output<typeof topicReplies.listTopicsResponse>;
export type Subscription = z.output<typeof topicReplies.subscriptionResponse>;
export type SubscriptionPage = z.output<typeof topicReplies.listSubscriptionsResponse>;
export type PublishResult = z.output<typeof topicReplies.publishResponse>;
export type PublishBatchResult = z.output<typeof topicReplies.publishBatchResponse>;
export type CreateTopicRequest = z.input<typeof topicReplies.createTopicRequest>;
export type CreateSubscriptionRequest = z.input<typeof topicReplies.createSubscriptionRequest>;
export type PublishRequest = z.input<typeof topicReplies.publishRequest>;
