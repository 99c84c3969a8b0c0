import type { QueueContext } from '../context';
import type { QueueRecord } from '../model';
import type { FifoMessage } from '../ports/fifo-store';
import { announceArrival } from '../shared/idle-poll';
import { fifoStore, groupShard } from './groups';
import { nextSequences } from './sequence';

/** Appends to a target group give up after this many lost races; the message stays where it is. */
const maxAttempts = 12;

/**
 * Moves a message to the end of its group in another FIFO queue (a dead-letter queue, or back
 * from one), as the message `build` makes of it, numbered after the target group's last. The
 * move is one transaction; 'skipped' when the message changed since it was read.
 */
export async function transferToGroup(
  ctx: QueueContext,
  target: QueueRecord,
  message: FifoMessage,
  build: (sequenceNumber: string, now: number) => FifoMessage,
): Promise<'moved' | 'skipped' | 'busy'> {
  const store = fifoStore(ctx);
  const guess = ctx.sequenceGuesses.get(target.id, message.groupId);
  let last = guess.known ? guess.last : await store.lastSequence(target.id, message.groupId);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const now = ctx.clock.now();
    const [sequenceNumber] = nextSequences(last, now, 1);
    const outcome = await store.transferMessage({
      message,
      moved: build(sequenceNumber!, now),
      targetShard: groupShard(message.groupId, target.shardCount),
      after: last,
      now,
    });
    if (outcome.status === 'moved') {
      ctx.sequenceGuesses.set(target.id, message.groupId, sequenceNumber);
      await announceArrival(ctx, target.id, groupShard(message.groupId, target.shardCount));
      return 'moved';
    }
    if (outcome.status === 'skipped') return 'skipped';
    last = outcome.lastSequence;
    ctx.sequenceGuesses.set(target.id, message.groupId, last);
  }
  return 'busy';
}
