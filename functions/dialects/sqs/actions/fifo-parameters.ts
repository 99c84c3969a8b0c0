import { type ActionInput, invalidValue } from '../params';

/** FIFO-only message parameters, refused on standard queues as SQS does (FIFO queues come later). */
export function rejectFifoParameters(input: ActionInput, prefix = ''): void {
  for (const name of ['MessageGroupId', 'MessageDeduplicationId']) {
    if (input[name] !== undefined) {
      throw invalidValue(
        `${prefix}${name}`,
        input[name],
        'The request include parameter that is not valid for this queue type.',
      );
    }
  }
}
