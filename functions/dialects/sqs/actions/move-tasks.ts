import { isQueueError, QueueError } from '../../../queue/errors';
import type { MoveTask, QueueRecord } from '../../../queue/model';
import { deadLetterSources } from '../../../queue/operations/dead-letters';
import {
  cancelMoveTask,
  listMoveTasks,
  maxMovesPerSecond,
  startMoveTask,
} from '../../../queue/operations/move-tasks';
import { invalidValue, optionalInteger, optionalString, requiredString } from '../params';
import { parseQueueArn, queueArn } from '../queue-url';
import type { ActionOutput } from '../responses';
import { decodeTaskHandle, encodeTaskHandle } from '../task-handle';
import type { SqsAction, SqsCall } from './call';

/**
 * Message move tasks (dead-letter redrive) over the core's tracked tasks. Errors follow what SQS
 * returns (recorded against AWS): a source that is no dead-letter queue or already has a running
 * task is InvalidParameterValue; ARNs of queues that do not exist are ResourceNotFoundException.
 */

export const StartMessageMoveTask: SqsAction = async (call) => {
  const sourceArn = requiredString(call.input, 'SourceArn');
  const destinationArn = optionalString(call.input, 'DestinationArn');
  const maxPerSecond = optionalInteger(call.input, 'MaxNumberOfMessagesPerSecond', {
    min: 1,
    max: maxMovesPerSecond,
  });
  const source = await queueByArn(call, sourceArn, 'SourceArn');
  if ((await deadLetterSources(call.runtime.queue, source.ref)).length === 0) {
    throw invalidValue('SourceArn', sourceArn, 'Source queue must be configured as a Dead Letter Queue.');
  }
  const destination = destinationArn ? await queueByArn(call, destinationArn, 'DestinationArn') : undefined;
  try {
    const task = await startMoveTask(call.runtime.queue, {
      source: source.ref,
      ...(destination ? { destination: destination.ref.name } : {}),
      ...(maxPerSecond === undefined ? {} : { maxPerSecond }),
    });
    return { TaskHandle: encodeTaskHandle({ taskId: task.taskId, sourceArn: queueArn(source.ref) }) };
  } catch (error) {
    // The core refuses a second running task per queue with UnsupportedOperation; SQS says this.
    if (isQueueError(error) && error.code === 'UnsupportedOperation') {
      throw invalidValue(
        'SourceArn',
        sourceArn,
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    throw error;
  }
};

export const ListMessageMoveTasks: SqsAction = async (call) => {
  const sourceArn = requiredString(call.input, 'SourceArn');
  // SQS returns only the most recent task unless asked for more (at most 10).
  const maxResults = optionalInteger(call.input, 'MaxResults', { min: 1, max: 10 }) ?? 1;
  const source = await queueByArn(call, sourceArn, 'SourceArn');
  const tasks = await listMoveTasks(call.runtime.queue, source.ref);
  return { Results: tasks.slice(0, maxResults).map(taskEntry) };
};

export const CancelMessageMoveTask: SqsAction = async (call) => {
  const handle = decodeTaskHandle(requiredString(call.input, 'TaskHandle'));
  const source = await queueByArn(call, handle.sourceArn, 'SourceArn');
  const task = await cancelMoveTask(call.runtime.queue, source.ref, handle.taskId);
  return { ApproximateNumberOfMessagesMoved: task.moved };
};

/**
 * A task as ListMessageMoveTasks reports it. SQS leaves out what the task was not started with
 * (DestinationArn, MaxNumberOfMessagesPerSecond): the core stores its default rate, so that rate
 * reads as "not given". FailureReason is reported for failed tasks only, as documented.
 */
function taskEntry(task: MoveTask): ActionOutput {
  return {
    ...(task.status === 'RUNNING'
      ? { TaskHandle: encodeTaskHandle({ taskId: task.taskId, sourceArn: queueArn(task.source) }) }
      : {}),
    Status: task.status,
    SourceArn: queueArn(task.source),
    ...(task.destination === undefined
      ? {}
      : { DestinationArn: queueArn({ ...task.source, name: task.destination }) }),
    ...(task.maxPerSecond === maxMovesPerSecond ? {} : { MaxNumberOfMessagesPerSecond: task.maxPerSecond }),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.status === 'FAILED' && task.failureReason ? { FailureReason: task.failureReason } : {}),
    StartedTimestamp: task.startedAt,
  };
}

const queueNamePattern = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The queue an ARN names, in the caller's account and region (a queue elsewhere does not exist
 * for this caller, as in SQS's regional endpoints).
 */
async function queueByArn(call: SqsCall, arn: string, parameter: string): Promise<QueueRecord> {
  const ref = parseQueueArn(arn);
  if (!ref) {
    throw invalidValue(
      parameter,
      arn,
      `You must use this format to specify the ${parameter}: arn:aws:sqs:<region>:<account-id>:<queue-name>.`,
    );
  }
  const found =
    ref.account === call.account && ref.region === call.region && queueNamePattern.test(ref.name)
      ? await call.runtime.queue.queues.find(ref)
      : undefined;
  if (!found) {
    throw new QueueError(
      'ResourceNotFoundException',
      `The resource that you specified for the ${parameter} parameter doesn't exist.`,
      { field: parameter, given: arn },
    );
  }
  return found;
}
