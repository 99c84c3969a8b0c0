import type { QueueContext } from '../../functions/queue/context';
import type { QueueRef } from '../../functions/queue/model';
import { deleteMessage } from '../../functions/queue/operations/acknowledge';
import { createQueue } from '../../functions/queue/operations/queues';
import { receiveMessages } from '../../functions/queue/operations/receive';
import { sendMessage } from '../../functions/queue/operations/send';
import type { LifecycleTarget } from '../driver';

/** The queue core called in-process: the operations the handlers call, without HTTP. */
export async function coreTarget(
  ctx: QueueContext,
  ref: QueueRef,
  options: { shards: number; visibilitySeconds: number },
): Promise<LifecycleTarget> {
  await createQueue(ctx, {
    ref,
    shardCount: options.shards,
    settings: { visibilityTimeoutSeconds: options.visibilitySeconds },
  });
  const sender = { senderId: ref.account };
  return {
    async send(body) {
      await sendMessage(ctx, ref, { body }, sender);
    },
    async receive() {
      const [message] = await receiveMessages(ctx, ref, { maxMessages: 1 });
      return message?.receiptHandle;
    },
    async delete(handle) {
      await deleteMessage(ctx, ref, handle);
    },
  };
}
