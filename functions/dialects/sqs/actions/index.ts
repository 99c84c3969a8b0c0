import { ChangeMessageVisibilityBatch, DeleteMessageBatch, SendMessageBatch } from './batches';
import type { SqsAction } from './call';
import { ChangeMessageVisibility, DeleteMessage, ReceiveMessage, SendMessage } from './messages';
import { CancelMessageMoveTask, ListMessageMoveTasks, StartMessageMoveTask } from './move-tasks';
import {
  CreateQueue,
  DeleteQueue,
  GetQueueAttributes,
  GetQueueUrl,
  ListDeadLetterSourceQueues,
  ListQueues,
  PurgeQueue,
  SetQueueAttributes,
} from './queues';
import { AddPermission, ListQueueTags, RemovePermission, TagQueue, UntagQueue } from './tags-permissions';

/** Every SQS action the service knows, by its wire name. */
export const sqsActions: Record<string, SqsAction> = {
  CreateQueue,
  GetQueueUrl,
  ListQueues,
  DeleteQueue,
  GetQueueAttributes,
  SetQueueAttributes,
  PurgeQueue,
  ListDeadLetterSourceQueues,
  TagQueue,
  UntagQueue,
  ListQueueTags,
  AddPermission,
  RemovePermission,
  SendMessage,
  SendMessageBatch,
  ReceiveMessage,
  DeleteMessage,
  DeleteMessageBatch,
  ChangeMessageVisibility,
  ChangeMessageVisibilityBatch,
  StartMessageMoveTask,
  CancelMessageMoveTask,
  ListMessageMoveTasks,
};
