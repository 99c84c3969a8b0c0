import type { QueueRecord } from '../../functions/queue/model';
import type { StoredState } from '../audit';
import type { Ledger } from '../ledger';
import type { StorageOracle } from '../oracle';

/** Everything the checks look at, gathered once the run has stopped. */
export interface CheckInput {
  ledger: Ledger;
  oracle: StorageOracle;
  main: QueueRecord;
  deadLetter: QueueRecord;
  retention: QueueRecord;
  final: {
    main: Map<string, StoredState>;
    deadLetter: Map<string, StoredState>;
    retention: Map<string, StoredState>;
  };
  /** Service time at which the final state was read. */
  auditedAt: number;
}

/** One broken promise of the queue, with enough detail to start debugging it. */
export interface Violation {
  check: string;
  messageId?: string;
  detail: string;
}

/** What a queue's acknowledged sends became. */
export interface Accounting {
  queue: string;
  sent: number;
  deleted: number;
  dead: number;
  remaining: number;
  expired: number;
  lost: number;
  /** Stored although no send of it was acknowledged (the producer could not know, and sent again). */
  unacknowledgedStored: number;
  /** Deletes acknowledged for a message that was in the dead-letter queue by then (no effect). */
  lateDeletesOfDeadLetters: number;
}

export const violation = (check: string, detail: string, messageId?: string): Violation => ({
  check,
  detail,
  ...(messageId ? { messageId } : {}),
});
