/**
 * The create request the console's form sends. A name ending in `.fifo` makes a FIFO queue, with
 * content-based deduplication unless the box is cleared: without it every send needs a
 * deduplication id, which the console's test send (and `dq send`) do not ask for.
 */
export interface CreateQueueValues {
  name: string;
  visibilityTimeoutSeconds?: number;
  deadLetterQueue?: string;
  maxReceiveCount?: number;
  contentBasedDeduplication: boolean;
}

export function createQueueRequest(values: CreateQueueValues): Record<string, unknown> {
  const name = values.name.trim();
  const request: Record<string, unknown> = { name };
  if (values.visibilityTimeoutSeconds !== undefined) {
    request.visibilityTimeoutSeconds = values.visibilityTimeoutSeconds;
  }
  const dlq = values.deadLetterQueue?.trim();
  if (dlq) request.deadLetterQueue = dlq;
  if (values.maxReceiveCount !== undefined) request.maxReceiveCount = values.maxReceiveCount;
  if (name.endsWith('.fifo')) {
    request.fifo = true;
    request.contentBasedDeduplication = values.contentBasedDeduplication;
  }
  return request;
}
