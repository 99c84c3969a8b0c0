import type { ReceivedMessage } from '../queue/model';
import type { ConsumerRecord } from './model';

export interface SlotClaim {
  slot: number;
  token: string;
}

/** What push delivery needs from storage (functions/store/consumer-store.ts). */
export interface ConsumerStore {
  /** Writes a new consumer; false when its id is taken. */
  createConsumer(consumer: ConsumerRecord): Promise<boolean>;
  getConsumer(queueId: string, id: string): Promise<ConsumerRecord | undefined>;
  /** Replaces a consumer's settings; false when it is gone. */
  updateConsumer(consumer: ConsumerRecord): Promise<boolean>;
  deleteConsumer(queueId: string, id: string): Promise<void>;
  listConsumers(queueId: string): Promise<ConsumerRecord[]>;
  /** Every consumer of every queue (few: they are read once per dispatcher pass). */
  listAllConsumers(): Promise<ConsumerRecord[]>;
  /**
   * Takes one of the consumer's `slots` delivery slots until `until` (a conditional write on the
   * slot's item, so the cap holds across processes); the slot taken, or undefined when the slots
   * tried were busy.
   */
  claimSlot(consumerId: string, slots: number, now: number, until: number): Promise<SlotClaim | undefined>;
  /** Frees a slot, if `claim` still holds it (a claim that ran out may have been taken over). */
  releaseSlot(consumerId: string, claim: SlotClaim): Promise<void>;
}

/**
 * Hands one batch to a consumer's target, as the Lambda SQS event, and returns what the target
 * answered (parsed JSON, or undefined for an empty answer); throws when the target failed (an
 * error thrown by the handler, a non-2xx status, a timeout). The adapters: dialects/push/.
 */
export interface PushTargets {
  deliver(consumer: ConsumerRecord, messages: ReceivedMessage[], timeoutMs: number): Promise<unknown>;
}
