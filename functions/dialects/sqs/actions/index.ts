import { QueueError } from '../../../queue/errors';
import { ChangeMessageVisibilityBatch, DeleteMessageBatch, SendMessageBatch } from './batches';
import type { SqsAction } from './call';
import { ChangeMessageVisibility, DeleteMessage, ReceiveMessage, SendMessage } from './messages';
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

/** Message-move tasks belong to the dead-letter work; until then they answer with an SQS error. */
const notYet: SqsAction = async () => {
  throw new QueueError('UnsupportedOperation', 'Message move tasks are not supported by this service yet.');
};

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
  StartMessageMoveTask: notYet,
  CancelMessageMoveTask: notYet,
  ListMessageMoveTasks: notYet,
};
