import type { QueueKind } from '../shared/queue-kind';
import {
  changeFifoVisibility,
  deleteFifoMessage,
  deleteFifoMessages,
  forEachVisibilityChangeInOrder,
} from './acknowledge';
import {
  countFifoMessages,
  markFifoPurged,
  oldestAvailableGroupSince,
  peekFifo,
  purgeFifoMessages,
} from './queues';
import { receiveFifoMessages } from './receive';
import { redriveSlice } from './redrive';
import { sendFifoBatch, sendFifoMessage } from './send';
import { sweep } from './sweep';

/**
 * FIFO queues: ordered message groups (a group's lease is what receivers race for) and
 * deduplicated sends.
 */
export const fifoKind: QueueKind = {
  send: sendFifoMessage,
  sendBatch: sendFifoBatch,
  receive: receiveFifoMessages,
  deleteMessage: deleteFifoMessage,
  deleteMessages: deleteFifoMessages,
  changeVisibility: changeFifoVisibility,
  forEachVisibilityChange: forEachVisibilityChangeInOrder,
  sweep,
  redriveSlice,
  countMessages: countFifoMessages,
  oldestAvailableSince: oldestAvailableGroupSince,
  purgeMessages: purgeFifoMessages,
  markPurged: markFifoPurged,
  peek: peekFifo,
};
