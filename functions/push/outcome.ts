import type { ReceivedMessage } from '../queue/model';
import type { BatchOutcome } from './model';

/**
 * What a target's answer means, by Lambda's rules for SQS event sources: without
 * reportBatchItemFailures any answer is success; with it, `{"batchItemFailures": [...]}` names the
 * failed messages, an empty or absent list is success, and an item without a known message id
 * fails the whole batch.
 */
export function outcomeOf(
  answer: unknown,
  reportBatchItemFailures: boolean,
  batch: ReceivedMessage[],
): BatchOutcome {
  if (!reportBatchItemFailures || answer === undefined || answer === null) return { ok: true };
  if (typeof answer !== 'object' || Array.isArray(answer)) return { ok: true };
  const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { ok: true };
  if (!Array.isArray(failures)) return { ok: false, reason: 'batchItemFailures is not a list' };
  const ids = new Set(batch.map((m) => m.id));
  const failedIds: string[] = [];
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) {
      return { ok: false, reason: 'a batchItemFailures entry has no itemIdentifier of this batch' };
    }
    failedIds.push(id);
  }
  return failedIds.length === 0 ? { ok: true } : { failedIds };
}

/**
 * The messages to delete after an outcome. FIFO: a failed message keeps the rest of its group's
 * batch with it, so the group's order survives the retry.
 */
export function messagesToDelete(
  outcome: BatchOutcome,
  batch: ReceivedMessage[],
  fifo: boolean,
): ReceivedMessage[] {
  if ('ok' in outcome) return outcome.ok ? batch : [];
  const failed = new Set(outcome.failedIds);
  const blockedGroups = new Set<string>();
  return batch.filter((message) => {
    const group = message.groupId ?? '';
    if (fifo && blockedGroups.has(group)) return false;
    if (!failed.has(message.id)) return true;
    if (fifo) blockedGroups.add(group);
    return false;
  });
}
