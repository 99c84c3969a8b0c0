import type { QueueRecord } from '../../queue/model';
import type { QueueDepth } from '../../queue/operations/depth';

/**
 * Fair queues' figures under the names of SQS's CloudWatch metrics. AWS publishes them as metrics
 * only (its GetQueueAttributes does not know them, and the SDKs' QueueAttributeName has no such
 * names); here GetQueueAttributes answers them when they are named, as an extension, and leaves
 * them out of `All` so that `All` answers what AWS answers. FIFO queues have none.
 */
export const fairAttributeNames = [
  'ApproximateNumberOfNoisyGroups',
  'ApproximateNumberOfMessagesVisibleInQuietGroups',
  'ApproximateNumberOfMessagesNotVisibleInQuietGroups',
  'ApproximateAgeOfOldestMessageInQuietGroups',
] as const;

export const needsFairness = (names: Set<string>) => fairAttributeNames.some((name) => names.has(name));

export function fairAttributes(
  queue: QueueRecord,
  depth: QueueDepth,
  names: Set<string>,
): Record<string, string> {
  if (queue.fifo) return {};
  // A queue that never had group ids has no noisy group: every message counts as quiet.
  const fair = depth.fairness ?? {
    noisyGroups: 0,
    quietVisible: depth.visible,
    quietInFlight: depth.inFlight,
    quietOldestMessageAgeSeconds: depth.oldestMessageAgeSeconds,
  };
  const all: Record<(typeof fairAttributeNames)[number], number> = {
    ApproximateNumberOfNoisyGroups: fair.noisyGroups,
    ApproximateNumberOfMessagesVisibleInQuietGroups: fair.quietVisible,
    ApproximateNumberOfMessagesNotVisibleInQuietGroups: fair.quietInFlight,
    ApproximateAgeOfOldestMessageInQuietGroups: fair.quietOldestMessageAgeSeconds,
  };
  const out: Record<string, string> = {};
  for (const name of fairAttributeNames) if (names.has(name)) out[name] = String(all[name]);
  return out;
}
