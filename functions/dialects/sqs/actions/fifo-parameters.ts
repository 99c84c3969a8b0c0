import { type ActionInput, optionalString } from '../params';

/**
 * SQS's FIFO message parameters under the core's names. The core decides what they mean for the
 * queue: required group id and deduplication on FIFO queues; on a standard queue a group id is
 * kept without ordering (as SQS fair queues do) and a deduplication id is refused.
 */
export function fifoMessageParameters(
  input: ActionInput,
  prefix = '',
): { groupId?: string; deduplicationId?: string } {
  const named = (name: string) => (prefix ? { ...input, [`${prefix}${name}`]: input[name] } : input);
  const groupId = optionalString(named('MessageGroupId'), `${prefix}MessageGroupId`);
  const deduplicationId = optionalString(named('MessageDeduplicationId'), `${prefix}MessageDeduplicationId`);
  return {
    ...(groupId === undefined ? {} : { groupId }),
    ...(deduplicationId === undefined ? {} : { deduplicationId }),
  };
}
