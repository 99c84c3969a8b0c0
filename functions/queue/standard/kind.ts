import type { QueueKind } from '../shared/queue-kind';
import { changeVisibility, deleteMessage, deleteMessages, forEachVisibilityChange } from './acknowledge';
import { countMessages, markPurged, oldestAvailableSince, peek, purgeMessages } from './queues';
import { receive } from './receive';
import { redriveSlice } from './redrive';
import { send, sendBatch } from './send';
import { sweep } from './sweep';

/** Standard queues: at-least-once delivery, best-effort order, each message leased on its own. */
export const standardKind: QueueKind = {
  send,
  sendBatch,
  receive,
  deleteMessage,
  deleteMessages,
  changeVisibility,
  forEachVisibilityChange,
  sweep,
  redriveSlice,
  countMessages,
  oldestAvailableSince,
  purgeMessages,
  markPurged,
  peek,
};
