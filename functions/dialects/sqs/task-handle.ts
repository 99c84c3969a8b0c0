import { QueueError } from '../../queue/errors';

/**
 * Message-move task handles. SQS hands out base64 of `{"taskId":"…","sourceArn":"…"}`, and
 * tools written against it (test suites among them) build handles that way, so ours have the
 * same shape: the source queue's ARN names the dead-letter queue, the task id the core's task.
 * The handle carries no secret and needs none: it only names a task of a queue the caller can
 * reach anyway; a handle naming any other queue or task finds nothing.
 */
export interface TaskHandle {
  taskId: string;
  sourceArn: string;
}

/** Core task ids are short and plain; anything else cannot name a task. */
const taskIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

export function encodeTaskHandle(handle: TaskHandle): string {
  return Buffer.from(JSON.stringify({ taskId: handle.taskId, sourceArn: handle.sourceArn })).toString(
    'base64',
  );
}

/** Garbled handles are InvalidParameterValue, as in SQS; well-formed ones are looked up. */
export function decodeTaskHandle(text: string): TaskHandle {
  let value: unknown;
  try {
    // Node's base64 decoder also reads the URL-safe alphabet and missing padding.
    value = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw invalidHandle();
  }
  const { taskId, sourceArn } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof taskId !== 'string' || typeof sourceArn !== 'string') throw invalidHandle();
  if (!taskIdPattern.test(taskId)) throw taskDoesNotExist();
  return { taskId, sourceArn };
}

export function taskDoesNotExist(): QueueError {
  return new QueueError('ResourceNotFoundException', 'Task does not exist.', { field: 'TaskHandle' });
}

function invalidHandle(): QueueError {
  return new QueueError(
    'InvalidParameterValue',
    'Value for parameter TaskHandle is invalid: use a TaskHandle returned by StartMessageMoveTask or ListMessageMoveTasks.',
    { field: 'TaskHandle' },
  );
}
